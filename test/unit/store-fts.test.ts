import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../main/library/db.js";
import type { ParsedChunk } from "../../main/library/ingest/parse.js";
import { Store } from "../../main/library/store.js";
import { analyze } from "../../main/library/text/analyze.js";
import { tempDir } from "../helpers.js";

// Index entries are written at the end of each transaction (FTS5 would write a segment per note
// otherwise); whatever happens inside it, the index holds exactly the chunks' entries.
function setup() {
  const db = openDatabase(path.join(tempDir(), "lib.db"));
  const store = new Store(db);
  const source = store.addSource("/n", [], 1e6);
  const chunk = (text: string, ordinal = 0): ParsedChunk => ({ headingPath: [], text, lineStart: ordinal + 1, lineEnd: ordinal + 1, index: { heading: "", body: analyze(text) } });
  const write = (file: string, ...texts: string[]) =>
    store.writeDocument({ sourceId: source.id, path: `/n/${file}`, format: "markdown", size: 1, mtimeMs: 1, hash: "h", title: file, indexTitle: analyze(file), tags: [], chunks: texts.map((t, i) => chunk(t, i)) });
  const matching = (word: string) => db.prepare("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?").all(`"${analyze(word)}"`).map((r) => (r as { rowid: number }).rowid);
  const consistent = () => {
    const chunks = db.prepare("SELECT id FROM chunks ORDER BY id").all().map((r) => (r as { id: number }).id);
    const indexed = db.prepare("SELECT rowid FROM chunks_fts ORDER BY rowid").all().map((r) => (r as { rowid: number }).rowid);
    expect(indexed).toEqual(chunks);
  };
  return { db, store, write, matching, consistent };
}

describe("index entries written at the end of a transaction", () => {
  it("keep a note written twice in one transaction to its last version", () => {
    const { store, write, matching, consistent } = setup();
    store.transaction(() => {
      write("a.md", "first version albatross", "second chunk");
      write("b.md", "other note");
      write("a.md", "final version cormorant");
    });
    expect(matching("albatross")).toEqual([]);
    expect(matching("cormorant")).toHaveLength(1);
    consistent();
  });

  it("leave nothing behind from a transaction that failed, nor from notes deleted inside one", () => {
    const { store, write, matching, consistent } = setup();
    expect(() =>
      store.transaction(() => {
        write("lost.md", "pelican words");
        throw new Error("disk full");
      }),
    ).toThrow("disk full");
    store.transaction(() => {
      write("kept.md", "heron words");
      write("gone.md", "gannet words");
      store.deletePath("/n/gone.md", "/");
    });
    expect(matching("pelican")).toEqual([]);
    expect(matching("gannet")).toEqual([]);
    expect(matching("heron")).toHaveLength(1);
    consistent();
    store.transaction(() => store.writeState({ sourceId: 1, path: "/n/kept.md", format: "markdown", size: 0, mtimeMs: 0, hash: null, status: "failed", reason: "x" }));
    expect(matching("heron")).toEqual([]);
    consistent();
  });
});
