import Database from "better-sqlite3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../main/library/db.js";
import { LibraryError } from "../../main/library/errors.js";
import { createIgnoreRules, DEFAULT_MAX_FILE_BYTES } from "../../main/library/ignore-rules.js";
import { Indexer } from "../../main/library/indexer.js";
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from "../../main/library/migrations/index.js";
import { createIngestPool, type IngestPool } from "../../main/library/ingest/pool.js";
import { Library } from "../../main/library/library.js";
import { scanRoot, statFile, type ScannedFile } from "../../main/library/scan.js";
import { Store } from "../../main/library/store.js";
import { boundByModesUnavailable, CLONE_OWNER, runCli, runCliBoundByModes, tempDir, waitFor, writeFiles } from "../helpers.js";

const open: Library[] = [];
afterEach(async () => {
  // A failed assertion must not leave worker threads or a database handle behind.
  for (const lib of open.splice(0)) await lib.close().catch(() => undefined);
});

/** A notes folder (by its real path, as the library stores it) and a database next to it. */
function setup(files: Record<string, string | Uint8Array> = {}) {
  const root = fs.realpathSync(tempDir());
  const notes = path.join(root, "notes");
  fs.mkdirSync(notes);
  writeFiles(notes, files);
  return { root, notes, dbPath: path.join(root, "lib.db") };
}

function openLibrary(dbPath: string, options: { busyTimeoutMs?: number } = {}): Library {
  const lib = Library.open(dbPath, { threads: 1, ...options });
  open.push(lib);
  return lib;
}

async function indexed(files: Record<string, string | Uint8Array>) {
  const s = setup(files);
  const lib = openLibrary(s.dbPath);
  const summary = await lib.index({ folders: [s.notes] });
  return { ...s, lib, summary };
}

const paths = (hits: Array<{ path: string }>) => [...new Set(hits.map((h) => h.path))].sort();
const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const siblings = (dbPath: string) => fs.readdirSync(path.dirname(dbPath)).filter((n) => n.startsWith(path.basename(dbPath)));

/**
 * Whether the process has read the WAL library at dbPath (it has its -shm open) and its main
 * thread sleeps. Opening a library is synchronous, so from then on such a sleep is SQLite's wait
 * for another program's lock, never the event loop.
 */
function waitsForLock(pid: number, dbPath: string): boolean {
  try {
    const fds = fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return ""; // closed meanwhile
      }
    });
    if (!fds.includes(`${dbPath}-shm`)) return false;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("S");
  } catch {
    return false; // the process has exited
  }
}

function expectLibraryError(fn: () => unknown, code: LibraryError["code"]): LibraryError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LibraryError);
  expect((caught as LibraryError).code).toBe(code);
  return caught as LibraryError;
}

describe("bad input files", () => {
  it("skips a binary file named .md without indexing its bytes", async () => {
    // A PNG renamed to .md: NUL bytes in the header, and a readable word that must not leak into search.
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from(" quetzalbinary "),
      randomBytes(4096),
    ]);
    const { notes, lib, summary } = await indexed({ "photo.md": png, "ok.md": "# Ok\n\nplain marmalade" });
    expect(summary.skipped).toEqual([{ path: path.join(notes, "photo.md"), reason: "binary content, not text" }]);
    expect(summary.failed).toEqual([]);
    expect(summary.indexed).toBe(1);
    expect(lib.search("quetzalbinary")).toEqual([]);
    expect(paths(lib.search("marmalade"))).toEqual([path.join(notes, "ok.md")]);
  });

  it("indexes invalid UTF-8 with replacement characters and keeps the words around them", async () => {
    const bytes = Buffer.concat([Buffer.from("# Broken\n\nlighthouse "), Buffer.from([0xc3, 0x28, 0xff, 0xa0, 0xe2, 0x82]), Buffer.from(" harbour\n")]);
    const { notes, lib, summary } = await indexed({ "broken.md": bytes });
    expect(summary).toMatchObject({ indexed: 1, skipped: [], failed: [] });
    const file = path.join(notes, "broken.md");
    for (const word of ["lighthouse", "harbour"]) {
      const hits = lib.search(word);
      expect(paths(hits)).toEqual([file]);
      expect(hits[0]!.snippet).toContain("\uFFFD");
    }
  });

  it("decodes UTF-16 LE and BE files that start with a byte order mark", async () => {
    const text = "# Заметка\n\nКошки любят спать на подоконниках.\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    const { notes, lib, summary } = await indexed({ "le.md": le, "be.txt": be, "other.md": "# Other\n\nnothing related" });
    expect(summary).toMatchObject({ indexed: 3, skipped: [], failed: [] });
    expect(paths(lib.search("подоконник"))).toEqual([path.join(notes, "be.txt"), path.join(notes, "le.md")]);
    expect(lib.files().find((f) => f.path.endsWith("le.md"))?.title).toBe("Заметка");
  });

  it("skips empty and whitespace-only files with a reason", async () => {
    const { notes, summary, lib } = await indexed({ "empty.md": "", "blank.txt": " \n\t\r\n  \n", "ok.md": "content" });
    expect(summary.indexed).toBe(1);
    expect(summary.skipped).toEqual([
      { path: path.join(notes, "blank.txt"), reason: "empty file" },
      { path: path.join(notes, "empty.md"), reason: "empty file" },
    ]);
    expect(lib.files({ status: "skipped" }).every((f) => f.chunks === 0)).toBe(true);
  });

  it("skips a 200 MB file by its size without reading it", async () => {
    const { notes, dbPath } = setup({ "ok.md": "small note" });
    const big = path.join(notes, "huge.md");
    // Sparse: 200 MB long but takes no disk space or time to make.
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 200 * 1024 * 1024);
    const lib = openLibrary(dbPath);
    const summary = await lib.index({ folders: [notes] });
    expect(summary.indexed).toBe(1);
    expect(summary.skipped).toEqual([{ path: big, reason: "too large (200.0 MB; the limit is 20.0 MB)" }]);
    expect(DEFAULT_MAX_FILE_BYTES).toBeLessThan(200 * 1024 * 1024);
    await lib.close();
    // The worker hashes everything it reads, so a NULL hash shows the bytes were never read.
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT status, hash, size FROM documents WHERE path = ?").get(big)).toEqual({ status: "skipped", hash: null, size: 200 * 1024 * 1024 });
    } finally {
      db.close();
    }
  });

  it("indexes HTML nested 10,000 levels deep", async () => {
    const depth = 10_000;
    const html = "<html><body>" + "<div>".repeat(depth) + "abyssword here<script>var deepscriptword = 1;</script>" + "</div>".repeat(depth) + "<p>surfaceword</p></body></html>";
    const { notes, lib, summary } = await indexed({ "deep.html": html });
    expect(summary).toMatchObject({ indexed: 1, skipped: [], failed: [] });
    const file = path.join(notes, "deep.html");
    expect(paths(lib.search("abyssword"))).toEqual([file]);
    expect(paths(lib.search("surfaceword"))).toEqual([file]);
    expect(lib.search("deepscriptword")).toEqual([]);
  });

  it("does not index the contents of <script>, <style> and <nav> in HTML", async () => {
    const html = `<!doctype html><html><head><title>Page</title><style>.scarlettstyle { color: red }</style></head>
<body><nav><a href="/">navigationword</a></nav>
<script>const javascriptword = "hidden";</script>
<main><h1>Heading</h1><p>The visible paragraph mentions pomegranate.</p></main>
<noscript>noscriptword</noscript><template><p>templateword</p></template>
</body></html>`;
    const { notes, lib, summary } = await indexed({ "page.html": html, "other.md": "filler text" });
    expect(summary).toMatchObject({ indexed: 2, failed: [] });
    expect(paths(lib.search("pomegranate"))).toEqual([path.join(notes, "page.html")]);
    for (const hidden of ["scarlettstyle", "navigationword", "javascriptword", "noscriptword", "templateword"]) {
      expect(lib.search(hidden), hidden).toEqual([]);
    }
  });

  it("terminates on symbolic link loops and indexes the other files", async () => {
    const { notes, dbPath } = setup({ "ok.md": "# Ok\n\nloopfree words", "dir/inside.md": "insideword" });
    fs.symlinkSync("b.md", path.join(notes, "a.md"));
    fs.symlinkSync("a.md", path.join(notes, "b.md"));
    fs.symlinkSync("..", path.join(notes, "dir", "loop"));
    // A directory symlink with a note's extension must not be read as a file either.
    fs.symlinkSync("..", path.join(notes, "dir", "up.md"));
    const lib = openLibrary(dbPath);
    const summary = await lib.index({ folders: [notes] });
    expect(summary.failed).toEqual([
      { path: path.join(notes, "a.md"), error: "symbolic link loop" },
      { path: path.join(notes, "b.md"), error: "symbolic link loop" },
    ]);
    expect(summary.indexed).toBe(2);
    expect(lib.files({ status: "indexed" }).map((f) => f.path)).toEqual([path.join(notes, "dir", "inside.md"), path.join(notes, "ok.md")]);
    expect(paths(lib.search("insideword"))).toEqual([path.join(notes, "dir", "inside.md")]);
  });

  it("lists an unreadable file as failed with 'permission denied' and indexes the rest", async (ctx) => {
    const { root, notes, dbPath } = setup({ "ok.md": "# Ok\n\nreadable tangerine", "secret.md": "classified zeppelin" });
    const secret = path.join(notes, "secret.md");
    fs.chmodSync(secret, 0o000);
    if (process.getuid?.() === 0) {
      // Root reads any file whatever its mode, so the run that must be refused runs without that right.
      const unavailable = boundByModesUnavailable();
      if (unavailable) ctx.skip(unavailable);
      for (const dir of [root, notes]) fs.chownSync(dir, CLONE_OWNER.uid, CLONE_OWNER.gid);
      const result = await runCliBoundByModes(["index", notes, "--db", dbPath, "--json"], { cwd: root, env: { ...process.env, HOME: root } });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as { indexed: number; failed: unknown[] };
      expect(summary.failed).toEqual([{ path: secret, error: "permission denied" }]);
      expect(summary.indexed).toBe(1);
    } else {
      const lib = openLibrary(dbPath);
      const summary = await lib.index({ folders: [notes] });
      expect(summary.failed).toEqual([{ path: secret, error: "permission denied" }]);
      expect(summary.indexed).toBe(1);
      await lib.close();
    }
    const lib = openLibrary(dbPath);
    expect(paths(lib.search("tangerine"))).toEqual([path.join(notes, "ok.md")]);
    expect(lib.search("zeppelin")).toEqual([]);
  });

  it("drops a file deleted between listing and reading", async () => {
    // Racing a real scan is flaky; handing the Indexer a listing taken before the delete is the
    // same situation, deterministically.
    const { notes, dbPath } = setup({ "stays.md": "# Stays\n\nsteadfast", "new.md": "# New\n\nephemeral", "old.md": "# Old\n\nvanishing" });
    const db = openDatabase(dbPath);
    let pool: IngestPool | undefined;
    try {
      const store = new Store(db);
      const source = store.addSource(notes, [], DEFAULT_MAX_FILE_BYTES);
      const indexer = new Indexer(store, () => (pool ??= createIngestPool(1)));
      const list = (name: string): ScannedFile => {
        const found = statFile(scanRoot(notes, createIgnoreRules([])), path.join(notes, name), "markdown", false);
        if (!found || "error" in found || "reason" in found) throw new Error(`could not list ${name}`);
        return found;
      };
      const work = (file: ScannedFile) => ({ kind: "file" as const, source, file, known: store.documentAt(file.path) });

      await indexer.run([work(list("stays.md")), work(list("old.md"))]);
      expect(store.documentAt(path.join(notes, "old.md"))?.status).toBe("indexed");

      // old.md was indexed before and changes (new mtime) and then disappears; new.md never was indexed.
      fs.utimesSync(path.join(notes, "old.md"), new Date(), new Date(Date.now() + 60_000));
      const listed = [work(list("new.md")), work(list("old.md")), work(list("stays.md"))];
      fs.unlinkSync(path.join(notes, "new.md"));
      fs.unlinkSync(path.join(notes, "old.md"));
      const changes = await indexer.run(listed);

      expect(changes.filter((c) => c.type !== "unchanged").sort((a, b) => a.path.localeCompare(b.path))).toEqual([
        { type: "removed", path: path.join(notes, "old.md") },
      ]);
      expect(store.files().map((f) => f.path)).toEqual([path.join(notes, "stays.md")]);
      expect(db.prepare("SELECT count(*) AS n FROM chunks").get()).toEqual({ n: 1 });
      // No index entry may outlive the deleted file's chunks.
      expect(db.prepare("SELECT count(*) AS n FROM chunks_fts").get()).toEqual({ n: 1 });
      expect(db.prepare("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH 'vanish OR ephemer OR vanishing OR ephemeral'").get()).toEqual({ n: 0 });
    } finally {
      await pool?.close();
      db.close();
    }
  });

  it("indexes file names with spaces, Cyrillic and a newline, and returns their exact paths", async () => {
    const names = ["with spaces in name.md", "заметки о кошках.md", "line\nbreak.md"];
    const { notes, lib, summary } = await indexed({
      [names[0]!]: "# A\n\nalbatross",
      [names[1]!]: "# Б\n\nбурундук",
      [names[2]!]: "# C\n\ncormorant",
      "filler.md": "unrelated",
    });
    expect(summary).toMatchObject({ indexed: 4, skipped: [], failed: [] });
    expect(lib.files().map((f) => f.path).sort()).toEqual([...names, "filler.md"].map((n) => path.join(notes, n)).sort());
    const found = ["albatross", "бурундук", "cormorant"].map((word) => paths(lib.search(word)));
    expect(found).toEqual(names.map((n) => [path.join(notes, n)]));
    for (const [file] of found) expect(fs.existsSync(file!)).toBe(true);
  });
});

describe("bad database files", () => {
  it("refuses a file of random bytes as DB_CORRUPT and leaves it untouched", () => {
    const { dbPath } = setup();
    fs.writeFileSync(dbPath, randomBytes(64 * 1024));
    const before = sha256(dbPath);
    const error = expectLibraryError(() => openLibrary(dbPath), "DB_CORRUPT");
    expect(error.message).toContain(dbPath);
    expect(sha256(dbPath)).toBe(before);
    expect(siblings(dbPath)).toEqual([path.basename(dbPath)]);
  });

  it("refuses an empty file as DB_NOT_LIBRARY and leaves it empty, unless told that it may be made a new library", () => {
    const { dbPath } = setup();
    fs.writeFileSync(dbPath, "");
    const error = expectLibraryError(() => openLibrary(dbPath), "DB_NOT_LIBRARY");
    expect(error.message).toBe(`${dbPath} is an empty file, not a Sourcebook library. It was left untouched.`);
    expect(fs.statSync(dbPath).size).toBe(0);
    expect(siblings(dbPath)).toEqual([path.basename(dbPath)]);
    const lib = Library.open(dbPath, { threads: 1, acceptEmpty: true });
    open.push(lib);
    expect(lib.folders()).toEqual([]);
    expect(fs.statSync(dbPath).size).toBeGreaterThan(0);
  });

  it("waits for an empty file that another program is making into a library at this moment", async () => {
    // Between creating the file and writing its header, another Sourcebook leaves it empty.
    const { dbPath } = setup();
    const step = new Int32Array(new SharedArrayBuffer(4));
    const other = new Worker(
      `const { workerData: { dbPath, step, sqlite } } = require("node:worker_threads");
       const db = new (require(sqlite))(dbPath);
       Atomics.store(step, 0, 1);
       Atomics.notify(step, 0);
       Atomics.wait(step, 0, 1);
       Atomics.wait(step, 0, 2, 100);
       db.pragma("journal_mode = WAL");
       db.close();`,
      { eval: true, workerData: { dbPath, step, sqlite: createRequire(import.meta.url).resolve("better-sqlite3") } },
    );
    try {
      expect(Atomics.wait(step, 0, 0, 10_000)).not.toBe("timed-out");
      expect(fs.statSync(dbPath).size).toBe(0);
      Atomics.store(step, 0, 2);
      Atomics.notify(step, 0);
      const lib = openLibrary(dbPath);
      expect(lib.folders()).toEqual([]);
    } finally {
      await other.terminate();
    }
  });

  it("creates nothing for a missing library when told not to create one, not even its folder", () => {
    const { root } = setup();
    const dbPath = path.join(root, "new", "lib.db");
    const error = expectLibraryError(() => Library.open(dbPath, { threads: 1, create: false }), "DB_MISSING");
    expect(error.message).toBe(`There is no library at ${dbPath} yet; indexing a folder creates it.`);
    expect(fs.existsSync(path.dirname(dbPath))).toBe(false);
  });

  it("reports a database locked by another program as DB_BUSY and works once the lock is gone", async () => {
    const { notes, dbPath } = await indexed({ "a.md": "# A\n\nfirstword" }).then(async (s) => {
      await s.lib.close();
      return s;
    });
    const locker = new Database(dbPath);
    try {
      locker.exec("BEGIN EXCLUSIVE");
      // Something to write, or the run would only read and never meet the lock.
      writeFiles(notes, { "b.md": "# B\n\nsecondword" });
      let caught: unknown;
      try {
        const lib = openLibrary(dbPath, { busyTimeoutMs: 200 });
        await lib.index({ folders: [notes] });
      } catch (error) {
        caught = error;
      }
      // It gave up while the lock was still held, rather than wait for it to go.
      expect(caught).toBeInstanceOf(LibraryError);
      expect((caught as LibraryError).code).toBe("DB_BUSY");
      expect((caught as LibraryError).message).toContain(dbPath);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
    for (const lib of open.splice(0)) await lib.close();
    const lib = openLibrary(dbPath, { busyTimeoutMs: 200 });
    expect(await lib.index({ folders: [notes] })).toMatchObject({ indexed: 1, unchanged: 1, failed: [] });
    expect(paths(lib.search("secondword"))).toEqual([path.join(notes, "b.md")]);
    expect(paths(lib.search("firstword"))).toEqual([path.join(notes, "a.md")]);
  });

  it("refuses a library written by a newer version as DB_NEWER without changing it", async () => {
    const { dbPath } = await indexed({ "a.md": "# A\n\nwords" }).then(async (s) => {
      await s.lib.close();
      return s;
    });
    const db = new Database(dbPath);
    db.pragma("user_version = 99");
    db.close();
    const before = sha256(dbPath);
    const error = expectLibraryError(() => openLibrary(dbPath), "DB_NEWER");
    expect(error.message).toContain("newer version");
    expect(sha256(dbPath)).toBe(before);
    const check = new Database(dbPath, { readonly: true });
    try {
      expect(check.pragma("user_version", { simple: true })).toBe(99);
    } finally {
      check.close();
    }
  });

  it("opens a new library that another program is creating at the same moment", async (ctx) => {
    // The CLI, the app or a second CLI may each find the file new and set it up. Deterministic
    // order: the other program holds the write lock while the CLI reads the still-empty schema,
    // then creates the library and lets go while the CLI waits for the lock.
    if (!fs.existsSync("/proc/self/fd")) ctx.skip("Without /proc this test cannot see the CLI wait for the lock.");
    const { root, dbPath } = setup();
    const other = new Database(dbPath);
    try {
      other.pragma("journal_mode = WAL");
      other.exec("BEGIN IMMEDIATE");
      const cli = runCli(["status", "--db", dbPath, "--json"], { env: { ...process.env, HOME: root, SOURCEBOOK_DB: path.join(root, "default.db") } });
      // However long the CLI takes to start: once it has read the schema, it sleeps only in
      // SQLite's wait for the lock (its 5 s busy timeout runs from there).
      await waitFor(() => cli.child.exitCode !== null || waitsForLock(cli.child.pid!, dbPath), 30_000, "the CLI to wait for the lock");
      expect(cli.child.exitCode).toBeNull();
      for (const m of MIGRATIONS) m.up(other);
      other.pragma(`application_id = ${APPLICATION_ID}`);
      other.pragma(`user_version = ${SCHEMA_VERSION}`);
      other.exec("COMMIT");
      const result = await cli;
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
      expect(JSON.parse(result.stdout)).toMatchObject({ db: dbPath, folders: [] });
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
    }
  });

  it("refuses another program's SQLite database as DB_NOT_LIBRARY without changing it", () => {
    const { dbPath } = setup();
    const db = new Database(dbPath);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
    db.close();
    const before = sha256(dbPath);
    expectLibraryError(() => openLibrary(dbPath), "DB_NOT_LIBRARY");
    expect(sha256(dbPath)).toBe(before);
  });
});
