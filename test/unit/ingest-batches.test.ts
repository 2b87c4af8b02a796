import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../main/library/db.js";
import { createIgnoreRules, DEFAULT_MAX_FILE_BYTES } from "../../main/library/ignore-rules.js";
import { Indexer } from "../../main/library/indexer.js";
import { createIngestPool, type IngestPool } from "../../main/library/ingest/pool.js";
import { scanFolder, scanRoot } from "../../main/library/scan.js";
import { Store } from "../../main/library/store.js";
import { tempDir, writeFiles } from "../helpers.js";

// Small notes go to the workers in batches. A worker that dies (out of memory, as pdf.js or mammoth
// may on a hostile file) takes its batch with it: the batch is read again one file at a time, so only
// the file that did it fails, with the reason, and the rest are indexed.
describe("ingest batches", () => {
  it("fail only the file whose reading ended its worker", async () => {
    const notes = path.join(fs.realpathSync(tempDir()), "notes");
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`note-${i}.md`] = `# Note ${i}\n\nword${i} and the common words of a note.\n`;
    writeFiles(notes, files);
    const db = openDatabase(path.join(path.dirname(notes), "lib.db"));
    let real: IngestPool | undefined;
    const sizes: number[] = [];
    try {
      const store = new Store(db);
      const source = store.addSource(notes, [], DEFAULT_MAX_FILE_BYTES);
      const pool = (): IngestPool => {
        real ??= createIngestPool(1);
        return {
          threads: real.threads,
          noteText: (task) => real!.noteText(task),
          pageImage: (task, signal) => real!.pageImage(task, signal),
          close: () => real!.close(),
          run: (batch) => {
            sizes.push(batch.files.length);
            if (batch.files.some((f) => f.path.endsWith("note-42.md"))) return Promise.reject(new Error("Worker terminated due to reaching memory limit: JS heap out of memory"));
            return real!.run(batch);
          },
        };
      };
      const scan = await scanFolder(scanRoot(notes, createIgnoreRules([])));
      const changes = await new Indexer(store, pool).run(scan.files.map((file) => ({ kind: "file" as const, source, file, known: undefined })));
      // Batched: far fewer messages than files, then the one batch that failed, file by file.
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      expect(sizes.filter((n) => n > 1).length).toBeLessThan(10);
      expect(changes.filter((c) => c.type === "indexed")).toHaveLength(99);
      expect(store.fileAt(path.join(notes, "note-42.md"))).toMatchObject({
        status: "failed",
        reason: "reading it stopped the reader: Worker terminated due to reaching memory limit: JS heap out of memory",
      });
      expect(store.fileAt(path.join(notes, "note-41.md"))).toMatchObject({ status: "indexed" });
    } finally {
      await real?.close();
      db.close();
    }
  });

  it("stop a file that takes longer than its deadline, and read the others", async () => {
    const notes = path.join(fs.realpathSync(tempDir()), "notes");
    writeFiles(notes, { "hangs.pdf": "%PDF-1.7 a page that never finishes", "note.md": "# Note\n\nA note about tides.\n" });
    const db = openDatabase(path.join(path.dirname(notes), "lib.db"));
    let real: IngestPool | undefined;
    let attempts = 0;
    try {
      const store = new Store(db);
      const source = store.addSource(notes, [], DEFAULT_MAX_FILE_BYTES);
      // What piscina does with an aborted task: the run rejects (and its worker is stopped).
      const pool = (): IngestPool => {
        real ??= createIngestPool(1);
        return {
          threads: 1,
          noteText: (task) => real!.noteText(task),
          pageImage: (task, signal) => real!.pageImage(task, signal),
          close: () => real!.close(),
          run: (batch, signal) => {
            // The note is read without the 200 ms deadline: a worker starting on a loaded machine takes longer.
            if (!batch.files.some((f) => f.path.endsWith("hangs.pdf"))) return real!.run(batch);
            attempts++;
            return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("The task has been aborted"))));
          },
        };
      };
      const scan = await scanFolder(scanRoot(notes, createIgnoreRules([])));
      await new Indexer(store, pool).run(
        scan.files.map((file) => ({ kind: "file" as const, source, file, known: undefined })),
        { readLimitMs: 200 },
      );
      expect(store.fileAt(path.join(notes, "hangs.pdf"))).toMatchObject({ status: "failed", reason: "it took more than 200 ms to read, and was stopped" });
      expect(attempts).toBe(2);
      expect(store.fileAt(path.join(notes, "note.md"))).toMatchObject({ status: "indexed" });
    } finally {
      await real?.close();
      db.close();
    }
  });
});
