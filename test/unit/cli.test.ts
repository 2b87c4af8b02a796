import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { IndexSummary } from "../../shared/library.js";
import { ownDbPath } from "../../main/paths.js";
import { runCli, tempDir, writeFiles, type CliResult } from "../helpers.js";

type Summary = IndexSummary;

interface Hit {
  path: string;
  title: string;
  heading: string;
  lineStart: number;
  lineEnd: number;
  score: number;
  snippet: string;
}

const FIXTURE: Record<string, string> = {
  "кошки.md": "# Домашние животные\n\nКошки любят спать на подоконниках.\n\nСобаки охраняют дом по ночам.\n",
  "garden.md": "# Garden\n\nThe dog runs around the garden every morning.\n\n## Tomatoes\n\nTomatoes need plenty of sunshine.\n",
  "mixed notes.md": "# Встреча\n\nОбсудили release plan и бюджет на следующий квартал.\n",
  "recipe.txt": "Pancakes: flour, milk, eggs. Fry until golden.\n",
  "page.html": "<html><head><title>Travel</title></head><body><h1>Lisbon</h1><p>Trams climb the steep hills.</p></body></html>",
  "sub/physics.md": "# Физика\n\nЭлектроны вращаются вокруг ядра.\n",
  "empty.md": "",
  "image.png": "not a note",
};

/** Every run gets its own default library, so no test can touch the real user's one. */
function isolatedEnv(root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, HOME: root, XDG_CONFIG_HOME: path.join(root, "config"), SOURCEBOOK_DB: path.join(root, "default.db"), ...extra };
}

function fixture(files: Record<string, string> = FIXTURE) {
  const root = fs.realpathSync(tempDir());
  const notes = path.join(root, "notes");
  writeFiles(notes, files);
  fs.mkdirSync(notes, { recursive: true });
  return { root, notes, db: path.join(root, "lib.db"), env: isolatedEnv(root) };
}

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** One line, prefixed, as the CLI contract promises for errors. */
function expectOneErrorLine(result: CliResult): void {
  expect(result.stderr).toMatch(/^sourcebook: [^\n]+\n$/);
}

describe("sourcebook CLI", () => {
  let fx: ReturnType<typeof fixture>;
  let first: Summary;

  beforeAll(async () => {
    fx = fixture();
    // A relative folder argument: the output must still carry absolute paths.
    first = json<Summary>(await runCli(["index", "notes", "--db", fx.db, "--json"], { cwd: fx.root, env: fx.env }));
  });

  it("index --json reports what it did, with absolute paths", () => {
    expect(first).toMatchObject({ files: 7, indexed: 6, unchanged: 0, failed: [] });
    expect(first.skipped).toEqual([{ path: path.join(fx.notes, "empty.md"), reason: "empty file" }]);
    expect(typeof first.ms).toBe("number");
    const db = new Database(fx.db, { readonly: true });
    try {
      expect(first.chunks).toBe((db.prepare("SELECT count(*) AS n FROM chunks").get() as { n: number }).n);
      expect(first.chunks).toBeGreaterThanOrEqual(6);
    } finally {
      db.close();
    }
    expect(fs.existsSync(path.join(fx.root, "default.db"))).toBe(false);
  });

  it("index a second time reads nothing", async () => {
    const again = json<Summary>(await runCli(["index", fx.notes, "--db", fx.db, "--json"], { env: fx.env }));
    expect(again).toMatchObject({ files: first.files, indexed: 0, unchanged: first.files, chunks: first.chunks, failed: [] });
  });

  it("search --json finds an inflected Russian passage and returns absolute paths", async () => {
    const hits = json<Hit[]>(await runCli(["search", "кошка спит на подоконнике", "--db", fx.db, "--json"], { env: fx.env }));
    expect(hits.length).toBeGreaterThan(0);
    const top = hits[0]!;
    expect(top).toMatchObject({ path: path.join(fx.notes, "кошки.md"), title: "Домашние животные", heading: "Домашние животные" });
    expect(top.snippet).toContain("Кошки любят спать на подоконниках");
    expect(top.lineStart).toBeGreaterThanOrEqual(1);
    expect(top.lineEnd).toBeGreaterThanOrEqual(top.lineStart);
    expect(typeof top.score).toBe("number");
    for (const hit of hits) expect(path.isAbsolute(hit.path)).toBe(true);
  });

  it("search -k limits the results and finds English inflections", async () => {
    const hits = json<Hit[]>(await runCli(["search", "running dogs", "--db", fx.db, "-k", "1", "--json"], { env: fx.env }));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.path).toBe(path.join(fx.notes, "garden.md"));
  });

  it("search --batch answers every query in order with its id", async () => {
    const batch = path.join(fx.root, "queries.jsonl");
    const queries = [
      { id: "q1", text: "трамваи Lisbon" },
      { id: 2, text: "электрон" },
      { id: "q3", text: "zzzunknownword" },
      { id: "q4", text: "tomato" },
    ];
    fs.writeFileSync(batch, queries.map((q) => JSON.stringify(q)).join("\n") + "\n\n");
    const result = await runCli(["search", "--batch", batch, "--db", fx.db, "--json"], { env: fx.env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { id: unknown; results: Hit[] });
    expect(lines.map((l) => l.id)).toEqual(["q1", 2, "q3", "q4"]);
    expect(lines.map((l) => l.results[0]?.path)).toEqual([
      path.join(fx.notes, "page.html"),
      path.join(fx.notes, "sub", "physics.md"),
      undefined,
      path.join(fx.notes, "garden.md"),
    ]);
    expect(lines[3]!.results[0]!.heading).toBe("Garden › Tomatoes");
  });

  it("status --json describes the library", async () => {
    const status = json<{ db: string; folders: Array<Record<string, unknown>>; failed: unknown[] }>(
      await runCli(["status", "--db", fx.db, "--json"], { env: fx.env }),
    );
    expect(status.db).toBe(fx.db);
    expect(status.folders).toEqual([expect.objectContaining({ path: fx.notes, indexed: 6, skipped: 1, failed: 0, chunks: first.chunks })]);
    expect(status.failed).toEqual([]);
  });

  it("uses SOURCEBOOK_DB when --db is absent, and --db over it", async () => {
    const { root, notes } = fixture({ "a.md": "# A\n\nenvironmentword" });
    const envDb = path.join(root, "from-env", "library.db");
    const env = isolatedEnv(root, { SOURCEBOOK_DB: envDb });
    expect(json<Summary>(await runCli(["index", notes, "--json"], { env })).indexed).toBe(1);
    expect(fs.existsSync(envDb)).toBe(true);
    expect(json<{ db: string }>(await runCli(["status", "--json"], { env })).db).toBe(envDb);
    const hits = json<Hit[]>(await runCli(["search", "environmentword", "--json"], { env }));
    expect(hits.map((h) => h.path)).toEqual([path.join(notes, "a.md")]);

    const explicit = path.join(root, "explicit.db");
    const empty = path.join(root, "no-notes");
    fs.mkdirSync(empty);
    json<Summary>(await runCli(["index", empty, "--db", explicit, "--json"], { env }));
    expect(json<{ db: string; folders: unknown[] }>(await runCli(["status", "--db", explicit, "--json"], { env }))).toMatchObject({ db: explicit, folders: [{ path: empty }] });
  });

  it("exits 2 on usage errors", async () => {
    const { root, notes, env } = fixture({ "a.md": "words" });
    // A database each: these run at once, and a shared new one would race to be created (see bad-input).
    const db = (n: number) => path.join(root, `lib-${n}.db`);
    const cases = [["frobnicate"], ["search", "--db", db(1)], ["search", "words", "-k", "0", "--db", db(2)], ["index", notes, "--db", db(3), "--bogus"], ["index", "--db", db(4)]];
    const results = await Promise.all(cases.map((args) => runCli(args, { env })));
    results.forEach((result, i) => {
      expect({ args: cases[i], code: result.code }).toEqual({ args: cases[i], code: 2 });
      expect(result.stderr).toMatch(/^sourcebook: /);
      expect(result.stdout).toBe("");
    });
  });

  it("reports a usage error before touching the library: no database is created, a corrupt one does not mask it", async () => {
    const { root, env } = fixture({});
    const fresh = path.join(root, "never-created.db");
    const corrupt = path.join(root, "corrupt.db");
    fs.writeFileSync(corrupt, randomBytes(4096));
    const cases = [
      ["search", "--db", fresh],
      ["search", "words", "-k", "0", "--db", fresh],
      ["index", "--db", fresh],
      ["watch", "--db", fresh],
      ["search", "--db", corrupt],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args, { env })));
    // One comparison, so a failure shows every case that went wrong at once.
    expect({ codes: results.map((r, i) => [cases[i]!.join(" "), r.code]), created: fs.existsSync(fresh) }).toEqual({
      codes: cases.map((args) => [args.join(" "), 2]),
      created: false,
    });
  });

  it("exits 1 with one line on stderr for a missing folder", async () => {
    const { root, env } = fixture({});
    const missing = path.join(root, "no-such-folder");
    const result = await runCli(["index", missing, "--db", path.join(root, "lib.db"), "--json"], { env });
    expect(result.code).toBe(1);
    expectOneErrorLine(result);
    expect(result.stderr).toContain(missing);
    expect(result.stdout).toBe("");
  });

  it("exits 1 with one line on stderr for a corrupt --db, leaving it as it was", async () => {
    const { root, notes, env } = fixture({ "a.md": "words" });
    const db = path.join(root, "corrupt.db");
    const bytes = randomBytes(32 * 1024);
    fs.writeFileSync(db, bytes);
    for (const args of [["index", notes, "--db", db, "--json"], ["search", "words", "--db", db, "--json"], ["status", "--db", db]]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(1);
      expectOneErrorLine(result);
      expect(result.stderr).toContain(db);
      expect(result.stdout).toBe("");
    }
    expect(fs.readFileSync(db).equals(bytes)).toBe(true);
  });

  it("refuses an empty or non-SQLite --db for every command that opens one, leaving it as it was", async () => {
    const { root, notes, env } = fixture({ "a.md": "# A\n\nwords" });
    const files: Record<string, { text: string; says: (db: string) => string }> = {
      "empty.db": { text: "", says: (db) => `${db} is an empty file, not a Sourcebook library` },
      "notes.txt": { text: "shopping list: milk, eggs\n", says: (db) => `is not a database: ${db}` },
    };
    for (const [name, { text }] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
    const commands = [
      ["index", notes, "--json"],
      ["search", "words"],
      ["status", "--json"],
      ["chats"],
      ["export", "--last", "--format", "md"],
      ["ask", "a question", "--endpoint", "http://127.0.0.1:9/v1"],
    ];
    const cases = Object.keys(files).flatMap((name) => commands.map((args) => ({ name, args: [...args, "--db", path.join(root, name)] })));
    const results = await Promise.all(cases.map(({ args }) => runCli(args, { env })));
    results.forEach((result, i) => {
      const { name, args } = cases[i]!;
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 1, stdout: "" });
      expectOneErrorLine(result);
      expect(result.stderr).toContain(files[name]!.says(path.join(root, name)));
    });
    for (const [name, { text }] of Object.entries(files)) expect(fs.readFileSync(path.join(root, name), "utf8")).toBe(text);
    // No journal, WAL or shared-memory file was made beside them either.
    expect(fs.readdirSync(root).sort()).toEqual(["empty.db", "notes", "notes.txt"]);
  });

  it("creates no library for the commands that only read one: they say there is none yet", async () => {
    const { root, notes, env } = fixture({ "a.md": "# A\n\nwords" });
    const fresh = path.join(root, "new", "lib.db");
    const readers = [["search", "words"], ["status"], ["status", "--json"], ["chats"], ["chats", "--json"], ["export", "--last", "--format", "md"]];
    const results = await Promise.all(readers.map((args) => runCli([...args, "--db", fresh], { env })));
    results.forEach((result, i) => {
      expect({ args: readers[i], code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
        args: readers[i],
        code: 1,
        stdout: "",
        stderr: `sourcebook: There is no library at ${fresh} yet; indexing a folder creates it.\n`,
      });
    });
    expect(fs.existsSync(path.join(root, "new"))).toBe(false);
    // The same for the default library (SOURCEBOOK_DB here).
    const status = await runCli(["status"], { env });
    expect({ code: status.code, stderr: status.stderr }).toEqual({ code: 1, stderr: `sourcebook: There is no library at ${env.SOURCEBOOK_DB} yet; indexing a folder creates it.\n` });
    expect(fs.existsSync(env.SOURCEBOOK_DB!)).toBe(false);

    expect(json<Summary>(await runCli(["index", notes, "--db", fresh, "--json"], { env })).indexed).toBe(1);
    expect(json<Hit[]>(await runCli(["search", "words", "--db", fresh, "--json"], { env }))).toHaveLength(1);
  });

  it("takes the app's own library.db, left empty by a first start that failed, for a new library", async () => {
    const { root, notes } = fixture({ "a.md": "# A\n\nfirststartword" });
    const home = { HOME: root, XDG_CONFIG_HOME: path.join(root, "config"), APPDATA: path.join(root, "appdata") };
    const saved = Object.fromEntries(Object.keys(home).map((k) => [k, process.env[k]]));
    Object.assign(process.env, home);
    let own: string;
    try {
      own = ownDbPath();
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    expect(own.startsWith(root + path.sep)).toBe(true);
    fs.mkdirSync(path.dirname(own), { recursive: true });
    fs.writeFileSync(own, "");
    const env: NodeJS.ProcessEnv = { ...process.env, ...home };
    delete env.SOURCEBOOK_DB;
    expect(json<Summary>(await runCli(["index", notes, "--json"], { env })).indexed).toBe(1);
    expect(json<{ db: string }>(await runCli(["status", "--json"], { env })).db).toBe(own);
    expect(fs.statSync(own).size).toBeGreaterThan(0);
  });

  it("lists a file that fails and still exits 0", async () => {
    const { root, notes, env } = fixture({ "ok.md": "# Ok\n\nsurvivor words" });
    fs.symlinkSync("loop.md", path.join(notes, "loop.md"));
    const summary = json<Summary>(await runCli(["index", notes, "--db", path.join(root, "lib.db"), "--json"], { env }));
    expect(summary).toMatchObject({ files: 2, indexed: 1, skipped: [] });
    expect(summary.failed).toEqual([{ path: path.join(notes, "loop.md"), error: "symbolic link loop" }]);
  });

  it("finds a note in a small library when the query also has a word no note contains", async () => {
    // Common-term pruning must not leave only words that match nothing: with two notes, each
    // word of the first note is in half the chunks, and "спит" (stem "спит", not "спат") in none.
    const { root, notes, env } = fixture({ "a.md": "Кошки любят спать на подоконниках.", "b.txt": "Dogs bark at night." });
    const db = path.join(root, "lib.db");
    json<Summary>(await runCli(["index", notes, "--db", db, "--json"], { env }));
    const hits = json<Hit[]>(await runCli(["search", "кошка спит на подоконнике", "--db", db, "--json"], { env }));
    expect(hits.map((h) => h.path)).toEqual([path.join(notes, "a.md")]);
  });
});
