import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FileStatus, IndexSummary, SearchHit } from "../../shared/library.js";
import { openDatabase } from "../../main/library/db.js";
import { createIgnoreRules, DEFAULT_MAX_FILE_BYTES } from "../../main/library/ignore-rules.js";
import { Indexer } from "../../main/library/indexer.js";
import { createIngestPool, type IngestPool } from "../../main/library/ingest/pool.js";
import { LINK_IGNORED, LINK_MISSING, LINK_OUTSIDE } from "../../main/library/read-inside.js";
import { scanFolder, scanRoot } from "../../main/library/scan.js";
import { Store } from "../../main/library/store.js";
import { openApp, type TestApp } from "../fixtures/api-app.js";
import { tempDir, writeFiles } from "../helpers.js";

const OUTSIDE_TEXT = "outsideword from a private file";

/**
 * A notes folder next to private files, with links out of it (absolute and relative, like
 * passwd.txt -> /etc/passwd and id_rsa.txt -> ../.ssh/id_rsa), a dangling one, one to an
 * ignored file, one to a folder outside, and links that stay inside.
 */
function layout() {
  const root = fs.realpathSync(tempDir());
  const notes = path.join(root, "notes");
  const privateDir = path.join(root, "private");
  writeFiles(privateDir, { "secret.txt": OUTSIDE_TEXT, "folder/inner.md": `# Inner\n\n${OUTSIDE_TEXT}` });
  writeFiles(notes, { "real.md": "# Real\n\ninsideword of a real note", "sub/other.md": "# Other\n\notherword", ".env": "HIDDENKEY=1" });
  const link = (target: string, name: string) => fs.symlinkSync(target, path.join(notes, name));
  link(path.join(privateDir, "secret.txt"), "passwd.txt");
  link("../private/secret.txt", "id_rsa.txt");
  link("nowhere.md", "dangling.md");
  link(".env", "env.md");
  link("../private/folder", "outside-folder");
  link("real.md", "alias.md");
  link("../real.md", "sub/up.md");
  return { root, notes, privateDir, secret: path.join(privateDir, "secret.txt") };
}

const names = (files: Array<{ path: string }>, notes: string) => files.map((f) => path.relative(notes, f.path)).sort();

describe("symbolic links in a note folder", () => {
  let fx: ReturnType<typeof layout>;
  let app: TestApp;
  let summary: IndexSummary;

  beforeAll(async () => {
    fx = layout();
    app = openApp(path.join(fx.root, "lib.db"));
    await app.addChosenFolder(fx.notes);
    summary = await app.value<IndexSummary>("library.reindex", {});
  });
  afterAll(() => app.close());

  it("follows a link only when its real path stays inside the folder, and lists the others as skipped with the reason", async () => {
    expect(summary.skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: path.join(fx.notes, "dangling.md"), reason: LINK_MISSING },
      { path: path.join(fx.notes, "env.md"), reason: LINK_IGNORED },
      { path: path.join(fx.notes, "id_rsa.txt"), reason: LINK_OUTSIDE },
      { path: path.join(fx.notes, "passwd.txt"), reason: LINK_OUTSIDE },
    ]);
    const indexed = await app.value<FileStatus[]>("library.files", { status: "indexed" });
    expect(names(indexed, fx.notes)).toEqual(["alias.md", "real.md", "sub/other.md", "sub/up.md"]);
    expect(summary.failed).toEqual([]);
  });

  it("never returns the outside file's text from search or notes.read", async () => {
    expect(await app.value<SearchHit[]>("search.query", { query: "outsideword" })).toEqual([]);
    expect(await app.value<SearchHit[]>("search.query", { query: "HIDDENKEY" })).toEqual([]);
    for (const name of ["passwd.txt", "id_rsa.txt", "dangling.md", "env.md"]) {
      const refused = await app.failure("notes.read", { path: path.join(fx.notes, name) });
      expect(refused.code).toBe("NOT_FOUND");
      expect(refused.message).not.toContain("outsideword");
    }
    // A folder link is not followed: what is behind it is not in the library at all.
    expect(await app.failure("notes.read", { path: path.join(fx.notes, "outside-folder", "inner.md") })).toMatchObject({ code: "NOT_FOUND" });
  });

  it("never hands a link that leads out to the OS to open or show, while links inside open", async () => {
    for (const name of ["passwd.txt", "id_rsa.txt"]) {
      for (const method of ["notes.open", "notes.showInFolder"]) {
        expect(await app.failure(method, { path: path.join(fx.notes, name) })).toMatchObject({ code: "FORBIDDEN" });
      }
    }
    expect(await app.failure("notes.open", { path: path.join(fx.notes, "dangling.md") })).toMatchObject({ code: "NOT_FOUND" });
    expect(app.platform.opened).toEqual([]);
    expect(app.platform.shown).toEqual([]);
    await app.value("notes.open", { path: path.join(fx.notes, "alias.md") });
    expect(app.platform.opened).toEqual([path.join(fx.notes, "alias.md")]);
  });

  it("reads a link to a file inside the folder like the file itself", async () => {
    const hits = await app.value<SearchHit[]>("search.query", { query: "insideword" });
    expect(names(hits, fx.notes)).toEqual(["alias.md", "real.md", "sub/up.md"]);
    const note = await app.value<{ markdown: string }>("notes.read", { path: path.join(fx.notes, "sub", "up.md") });
    expect(note.markdown).toContain("insideword");
  });
});

describe("a link retargeted after the scan", () => {
  let fx: ReturnType<typeof layout>;
  let app: TestApp;

  beforeAll(async () => {
    fx = layout();
    app = openApp(path.join(fx.root, "lib.db"));
    await app.addChosenFolder(fx.notes);
  });
  afterAll(() => app.close());

  const retarget = (name: string, target: string) => {
    const link = path.join(fx.notes, name);
    fs.rmSync(link);
    fs.symlinkSync(target, link);
    return link;
  };

  it("is not previewed: the read checks the real path of what it opened", async () => {
    const alias = path.join(fx.notes, "alias.md");
    expect(app.services.library.file(alias)?.status).toBe("indexed");
    retarget("alias.md", fx.secret);
    // The index still lists it as indexed (nothing re-scanned), so only the read itself can refuse.
    expect(app.services.library.file(alias)?.status).toBe("indexed");
    const refused = await app.failure("notes.read", { path: alias });
    expect(refused).toMatchObject({ code: "NOT_FOUND", message: `${alias} cannot be shown: it is a ${LINK_OUTSIDE}.` });
  });

  it("is skipped when the watcher reports it, and its old passages leave the index", async () => {
    const link = retarget("sub/up.md", "../../private/secret.txt");
    await app.services.library.applyChanges([link]);
    expect(app.services.library.file(link)).toMatchObject({ status: "skipped", reason: LINK_OUTSIDE, chunks: 0 });
    const hits = await app.value<SearchHit[]>("search.query", { query: "insideword" });
    expect(names(hits, fx.notes)).not.toContain("sub/up.md");
    expect(await app.value<SearchHit[]>("search.query", { query: "outsideword" })).toEqual([]);
  });

  it("is not indexed when a watcher path leads through a folder link", async () => {
    const behind = path.join(fx.notes, "outside-folder", "inner.md");
    await app.services.library.applyChanges([behind, path.join(fx.notes, "outside-folder")]);
    expect(app.services.library.file(behind)).toBeUndefined();
    expect(await app.value<SearchHit[]>("search.query", { query: "outsideword" })).toEqual([]);
  });
});

describe("a link swapped between listing and reading", () => {
  let pool: IngestPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("is skipped by the read on the worker, which never indexes the outside file", async () => {
    // Racing a real scan is flaky; handing the Indexer a listing taken before the swap is the
    // same situation, deterministically.
    const fx = layout();
    const db = openDatabase(path.join(fx.root, "lib.db"));
    try {
      const store = new Store(db);
      const source = store.addSource(fx.notes, [], DEFAULT_MAX_FILE_BYTES);
      const scan = await scanFolder(scanRoot(fx.notes, createIgnoreRules([])));
      const alias = path.join(fx.notes, "alias.md");
      expect(scan.files.map((f) => f.path)).toContain(alias);
      fs.rmSync(alias);
      fs.symlinkSync(fx.secret, alias);
      const indexer = new Indexer(store, () => (pool ??= createIngestPool(1)));
      const changes = await indexer.run(scan.files.map((file) => ({ kind: "file" as const, source, file, known: undefined })));
      expect(changes.find((c) => c.path === alias)).toEqual({ type: "skipped", path: alias, detail: LINK_OUTSIDE });
      expect(store.fileAt(alias)).toMatchObject({ status: "skipped", reason: LINK_OUTSIDE });
      expect(db.prepare("SELECT count(*) AS n FROM chunks WHERE text LIKE '%outsideword%'").get()).toEqual({ n: 0 });
      expect(store.fileAt(path.join(fx.notes, "real.md"))?.status).toBe("indexed");
    } finally {
      db.close();
    }
  });
});
