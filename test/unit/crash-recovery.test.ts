import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Library } from "../../main/library/library.js";
import { CLI, runCli, tempDir } from "../helpers.js";

const FILES = 3000;

/** Several sections of several paragraphs, so each file makes more than one chunk. */
function note(i: number): string {
  const para = (s: number, p: number) =>
    `Paragraph ${p} of section ${s} in note ${i}: the river ${i % 17} flows past garden ${i % 29}, ` +
    `and кошки любят спать на подоконниках номер ${(i * 7 + p) % 101}. ` +
    "Notes about weather, tomatoes, and the long walk home. ".repeat(3 + ((i + p) % 4));
  const sections = [0, 1, 2].map((s) => `## Section ${s}\n\n` + [0, 1, 2, 3].map((p) => para(s, p)).join("\n\n"));
  // The marker is in the first section only, so exactly one chunk holds it.
  return `# Note ${i}\n\nUnique marker${i}q here.\n\n${sections.join("\n\n")}\n`;
}

const marker = (i: number) => `marker${i}q`;
const notePath = (notes: string, i: number) => path.join(notes, `note-${String(i).padStart(4, "0")}.md`);

function count(dbPath: string, sql: string): number | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return (db.prepare(sql).get() as { n: number }).n;
  } catch {
    return undefined; // not created yet, or its schema is not there yet
  } finally {
    db?.close();
  }
}

interface Snapshot {
  documents: unknown[];
  chunks: unknown[];
}

/** Everything the index holds, by path rather than by row id, so two libraries can be compared. */
function snapshot(dbPath: string): Snapshot {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      documents: db.prepare("SELECT path, status, reason, title, format, size, hash, chunk_count FROM documents ORDER BY path").all(),
      chunks: db
        .prepare("SELECT d.path, c.ordinal, c.heading_path, c.line_start, c.line_end, c.text FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY d.path, c.ordinal")
        .all(),
    };
  } finally {
    db.close();
  }
}

/** The invariants a crash must never break: SQLite's, FTS5's, and chunks ↔ index entries one to one. */
function expectConsistent(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(() => db.prepare("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')").run()).not.toThrow();
    const chunks = (db.prepare("SELECT count(*) AS n FROM chunks").get() as { n: number }).n;
    expect(db.prepare("SELECT count(*) AS n FROM chunks_fts").get()).toEqual({ n: chunks });
    // The rowids the index holds entries for must be exactly the chunk ids.
    db.exec("CREATE VIRTUAL TABLE temp.fts_instances USING fts5vocab(main, chunks_fts, instance)");
    const indexed = db.prepare("SELECT DISTINCT doc FROM temp.fts_instances ORDER BY doc").pluck().all();
    expect(indexed).toEqual(db.prepare("SELECT id FROM chunks ORDER BY id").pluck().all());
    expect(db.prepare("SELECT d.path FROM documents d WHERE d.chunk_count != (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)").all()).toEqual([]);
    expect(db.prepare("SELECT document_id, ordinal FROM chunks GROUP BY document_id, ordinal HAVING count(*) > 1").all()).toEqual([]);
  } finally {
    db.close();
  }
}

/**
 * Starts `sourcebook args` and SIGKILLs it delayMs after it has committed more than `committed`
 * documents, however long it takes to get there. Returns how many documents were committed when it
 * died, or undefined when the kill came too late to interrupt anything: the run had finished,
 * printed its summary or indexed every file.
 */
async function killMidRun(args: string[], env: NodeJS.ProcessEnv, dbPath: string, committed: number, delayMs: number): Promise<number | undefined> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  while (!ended && !((count(dbPath, "SELECT count(*) AS n FROM documents") ?? 0) > committed)) await sleep(5);
  await sleep(delayMs);
  child.kill("SIGKILL");
  const { code, signal } = await exited;
  if (signal !== "SIGKILL") expect({ code, stderr }).toMatchObject({ code: 0 });
  const now = count(dbPath, "SELECT count(*) AS n FROM documents") ?? 0;
  if (signal !== "SIGKILL" || stdout !== "" || now >= FILES) return undefined;
  return now;
}

describe("crash recovery", () => {
  it("a library killed mid-index opens intact and finishes to the same index as a clean run", async () => {
    const root = fs.realpathSync(tempDir());
    const notes = path.join(root, "notes");
    fs.mkdirSync(notes);
    for (let i = 0; i < FILES; i++) fs.writeFileSync(notePath(notes, i), note(i));
    const dbPath = path.join(root, "crashed.db");
    const refPath = path.join(root, "reference.db");
    const env = { ...process.env, HOME: root, XDG_CONFIG_HOME: root, SOURCEBOOK_DB: path.join(root, "default.db") };

    // Several kills, each at a different point after a commit, so some land between batches and
    // some inside one; each run resumes from what the previous one left. A kill that comes after
    // the run has finished proves nothing: then it all starts again, with earlier kills.
    let committed = 0;
    let offsets = [0, 20, 45];
    for (let round = 1; ; round++) {
      committed = 0;
      let tooLate = false;
      for (const delayMs of offsets) {
        const now = await killMidRun(["index", notes, "--db", dbPath, "--json"], env, dbPath, committed, delayMs);
        if (now === undefined) {
          tooLate = true;
          break;
        }
        expect(now).toBeGreaterThan(committed);
        committed = now;
        expectConsistent(dbPath);
      }
      if (!tooLate) break;
      expect(round, "every try, the index run had finished before it was killed").toBeLessThan(4);
      console.warn(`The kill came after the index run had finished; again from an empty library, killing earlier (round ${round + 1}).`);
      for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(file, { force: true });
      offsets = offsets.map((ms) => Math.floor(ms / 2));
    }
    const reopened = Library.open(dbPath, { threads: 1 });
    expect(reopened.folders()).toMatchObject([{ path: notes, indexed: committed, failed: 0 }]);
    await reopened.close();

    const [resumed, reference] = await Promise.all([
      runCli(["index", notes, "--db", dbPath, "--json"], { env }),
      runCli(["index", notes, "--db", refPath, "--json"], { env }),
    ]);
    for (const run of [resumed, reference]) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    const summary = JSON.parse(resumed.stdout) as { files: number; indexed: number; unchanged: number; failed: unknown[] };
    // What was committed before the kill is kept, not read again.
    expect(summary).toMatchObject({ files: FILES, indexed: FILES - committed, unchanged: committed, failed: [] });
    expect(JSON.parse(reference.stdout)).toMatchObject({ files: FILES, indexed: FILES, failed: [] });

    expectConsistent(dbPath);
    const recovered = snapshot(dbPath);
    const clean = snapshot(refPath);
    expect(recovered.documents).toHaveLength(FILES);
    expect(recovered.chunks.length).toBeGreaterThanOrEqual(FILES * 2);
    expect(recovered).toEqual(clean);

    const lib = Library.open(dbPath, { threads: 1 });
    try {
      const wrong: string[] = [];
      for (let i = 0; i < FILES; i++) {
        const hits = lib.search(marker(i), { k: 5 });
        if (hits.length !== 1 || hits[0]!.path !== notePath(notes, i)) wrong.push(`${marker(i)} → ${JSON.stringify(hits.map((h) => h.path))}`);
      }
      expect(wrong).toEqual([]);
    } finally {
      await lib.close();
    }
  }, 180_000);
});
