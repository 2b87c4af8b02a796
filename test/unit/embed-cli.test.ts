import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer } from "../fixtures/openai-server.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { CLI, runCli, tempDir, writeFiles } from "../helpers.js";

let root: string;
let embedModel: string;
let chatModel: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  root = fs.realpathSync(tempDir());
  embedModel = writeTinyGguf(path.join(root, "embed.gguf"), { pooling: "mean", name: "tiny-embed" });
  chatModel = writeTinyGguf(path.join(root, "chat.gguf"), { seed: 1 });
  env = { ...process.env, HOME: root, XDG_CONFIG_HOME: root, SOURCEBOOK_DB: path.join(root, "default.db"), SOURCEBOOK_API_KEY: "" };
});

async function cli(args: string[], expectCode = 0) {
  const run = await runCli(args, { env });
  expect({ code: run.code, stderr: run.code === expectCode ? "" : run.stderr }).toEqual({ code: expectCode, stderr: "" });
  return run;
}

const json = async <T>(args: string[]) => JSON.parse((await cli(args)).stdout) as T;

interface EmbedJson {
  model: string;
  dims: number;
  chunks: number;
  embedded: number;
  reused: number;
  ms: number;
}

/** Several sections per note, each its own chunk, so a one-word edit changes one chunk of several. */
function note(i: number, changed = ""): string {
  // Short, and mostly ASCII: the tiny model spells Cyrillic byte by byte, and its time grows with the tokens.
  const section = (s: number) => `## Section ${s}\n\nParagraph about river ${i} and garden ${s}, где спят кошки. ${"Notes about weather, tomatoes, and the long walk home. ".repeat(4)}`;
  return `# Note ${i}\n\n${[0, 1, 2].map(section).join("\n\n")}${changed}\n`;
}

function library(name: string, notes: number): { notes: string; db: string } {
  const dir = path.join(root, name);
  const files: Record<string, string> = {};
  for (let i = 0; i < notes; i++) files[`note-${String(i).padStart(4, "0")}.md`] = note(i);
  writeFiles(path.join(dir, "notes"), files);
  return { notes: path.join(dir, "notes"), db: path.join(dir, "lib.db") };
}

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    d.close();
  }
}

describe("sourcebook embed", () => {
  it("sets the library's model and embeds what is missing: a second run embeds 0, an edited note only its changed chunk", async () => {
    const { notes, db } = library("incremental", 4);
    await cli(["index", notes, "--db", db, "--json"]);
    const first = await json<EmbedJson>(["embed", "--model", embedModel, "--db", db, "--json", "--threads", "1"]);
    expect(Object.keys(first)).toEqual(["model", "dims", "chunks", "embedded", "reused", "ms"]);
    expect(first).toMatchObject({ model: "tiny-embed", dims: 64, embedded: first.chunks, reused: 0 });
    expect(first.chunks).toBeGreaterThanOrEqual(8);
    // Without --model: the library's own.
    expect(await json<EmbedJson>(["embed", "--db", db, "--json"])).toMatchObject({ model: "tiny-embed", chunks: first.chunks, embedded: 0, reused: first.chunks });

    const file = path.join(notes, "note-0002.md");
    fs.writeFileSync(file, note(2, "\n\nOne more sentence at the end of the last section."));
    await cli(["index", notes, "--db", db, "--json"]);
    const edited = await json<EmbedJson>(["embed", "--db", db, "--json"]);
    expect(edited).toMatchObject({ chunks: first.chunks, embedded: 1, reused: first.chunks - 1 });

    const status = await json<{ embedding: unknown }>(["status", "--db", db, "--json"]);
    expect(status.embedding).toEqual({ model: "tiny-embed", kind: "local", location: embedModel, dims: 64, embedded: first.chunks, total: first.chunks });
  });

  it("searches in each mode, every hit saying which retriever found it at which rank, --batch too", async () => {
    const { notes, db } = library("modes", 3);
    await cli(["index", notes, "--db", db]);
    const query = "river 1 garden";
    type Hit = { path: string; retrievers: { lexical: number | null; semantic: number | null } };
    // No vectors yet: the default is lexical.
    const before = await json<Hit[]>(["search", query, "--db", db, "--json"]);
    expect(before.map((h) => h.retrievers)).toEqual(before.map((_, i) => ({ lexical: i + 1, semantic: null })));
    const refused = await runCli(["search", query, "--db", db, "--mode", "semantic", "--json"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no embedding model yet: set one with `sourcebook embed --model FILE.gguf`/);
    expect((await runCli(["search", query, "--db", db, "--mode", "fuzzy"], { env })).code).toBe(2);

    await cli(["embed", "--model", embedModel, "--db", db, "--threads", "1"]);
    const semantic = await json<Hit[]>(["search", query, "--db", db, "--mode", "semantic", "-k", "4", "--json"]);
    expect(semantic.map((h) => h.retrievers)).toEqual([1, 2, 3, 4].map((semantic) => ({ lexical: null, semantic })));
    const lexical = await json<Hit[]>(["search", query, "--db", db, "--mode", "lexical", "--json"]);
    const hybrid = await json<Hit[]>(["search", query, "--db", db, "--json"]);
    const explicit = await json<Hit[]>(["search", query, "--db", db, "--mode", "hybrid", "--json"]);
    expect(hybrid).toEqual(explicit);
    expect(hybrid.some((h) => h.retrievers.lexical !== null && h.retrievers.semantic !== null)).toBe(true);
    for (const hit of hybrid) {
      if (hit.retrievers.lexical !== null) expect(lexical[hit.retrievers.lexical - 1]!.path).toBe(hit.path);
    }

    const queries = path.join(root, "modes", "queries.jsonl");
    fs.writeFileSync(queries, `${JSON.stringify({ id: "a", text: query })}\n${JSON.stringify({ id: "b", text: "Section 2" })}\n`);
    const batch = (await cli(["search", "--batch", queries, "--db", db, "--mode", "semantic", "-k", "4", "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; results: Hit[] });
    expect(batch.map((b) => b.id)).toEqual(["a", "b"]);
    expect(batch[0]!.results).toEqual(semantic);
    expect(batch[1]!.results.map((h) => h.retrievers.lexical)).toEqual([null, null, null, null]);

    const text = (await cli(["search", query, "--db", db])).stdout;
    expect(text).toMatch(/lexical #1|semantic #1/);
  });

  it("ask retrieves as the library searches, and its candidates carry their retrievers", async () => {
    const { notes, db } = library("ask", 2);
    await cli(["index", notes, "--db", db]);
    await cli(["embed", "--model", embedModel, "--db", db, "--threads", "1"]);
    const run = await cli(["ask", "Where does river 1 flow?", "--model", chatModel, "--db", db, "--gpu", "cpu", "--threads", "1", "--max-tokens", "4", "--json"]);
    const result = JSON.parse(run.stdout) as { candidates: Array<{ retrievers: { lexical: number | null; semantic: number | null } }>; omitted: Array<{ retrievers: unknown }> };
    expect(result.candidates.length).toBeGreaterThan(0);
    expect([...result.candidates, ...result.omitted].every((c) => c.retrievers && typeof c.retrievers === "object")).toBe(true);
    expect(result.candidates.some((c) => c.retrievers.semantic !== null)).toBe(true);
  });

  it("refuses what it cannot use, before touching the library", async () => {
    const db = path.join(root, "usage.db");
    for (const args of [
      ["embed", "--model", embedModel, "--endpoint", "http://127.0.0.1:1/v1"],
      ["embed", "--endpoint", "http://127.0.0.1:1/v1"],
      ["embed", "--endpoint", "file:///etc/passwd", "--model-name", "m"],
      ["embed", "--model-name", "m"],
      ["embed", "something"],
    ]) {
      const run = await runCli([...args, "--db", db], { env });
      expect(run.code, args.join(" ")).toBe(2);
    }
    const missing = await runCli(["embed", "--model", path.join(root, "nope.gguf"), "--db", db], { env });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("There is no model file at") });
    expect(fs.existsSync(db)).toBe(false);
  });

  it("embeds through an OpenAI-compatible /v1/embeddings endpoint, in the same space as the same model run locally", async () => {
    const { notes, db } = library("remote", 3);
    await cli(["index", notes, "--db", db]);
    const server = await startOpenAiServer({ modelPath: chatModel, embeddingModelPath: embedModel, apiKey: "sekret" });
    try {
      const denied = await runCli(["embed", "--endpoint", server.url, "--model-name", "tiny-embed", "--db", db, "--json"], { env });
      expect(denied).toMatchObject({ code: 1, stderr: expect.stringMatching(/answered 401.*Check the API key/) });
      const remote = await json<EmbedJson>(["embed", "--endpoint", server.url, "--api-key", "sekret", "--model-name", "tiny-embed", "--db", db, "--json"]);
      expect(remote).toMatchObject({ model: "tiny-embed", dims: 64, embedded: remote.chunks, reused: 0 });
      // One request per batch of passages, plus the fingerprint.
      expect(server.embeddingInputs.length).toBe(1 + Math.ceil(remote.chunks / 32));
      const status = await json<{ embedding: { kind: string; location: string } }>(["status", "--db", db, "--json"]);
      expect(status.embedding).toMatchObject({ kind: "remote", location: server.url });
      const hits = (await runCli(["search", "river 2", "--db", db, "--mode", "semantic", "--json"], { env: { ...env, SOURCEBOOK_API_KEY: "sekret" } }));
      expect(hits.code).toBe(0);
      expect((JSON.parse(hits.stdout) as unknown[]).length).toBe(Math.min(10, remote.chunks));
      // The same weights on this machine make the same space: nothing is embedded again.
      expect(await json<EmbedJson>(["embed", "--model", embedModel, "--db", db, "--json", "--threads", "1"])).toMatchObject({ embedded: 0, reused: remote.chunks });
    } finally {
      await server.close();
    }
  });
});

describe("an embedding run killed mid-way", () => {
  it("keeps every committed batch, and the next run embeds only the rest, to the same vectors as a clean run", async () => {
    const { notes, db } = library("killed", 400);
    const reference = path.join(root, "killed", "reference.db");
    await cli(["index", notes, "--db", db]);
    await cli(["index", notes, "--db", reference]);
    const total = count(db, "SELECT count(*) AS n FROM chunks");
    expect(total).toBeGreaterThanOrEqual(1200);

    let killedAt: number | undefined;
    for (let attempt = 0; killedAt === undefined; attempt++) {
      expect(attempt, "every try, the embedding run had finished before it was killed").toBeLessThan(3);
      const child = spawn(process.execPath, [CLI, "embed", "--model", embedModel, "--db", db, "--json", "--threads", "1"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      let ended = false;
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("close", (_code, signal) => ((ended = true), resolve(signal))));
      const start = count(db, "SELECT count(*) AS n FROM chunk_vectors");
      while (!ended && count(db, "SELECT count(*) AS n FROM chunk_vectors") <= start) await sleep(5);
      child.kill("SIGKILL");
      const signal = await exited;
      const now = count(db, "SELECT count(*) AS n FROM chunk_vectors");
      // Only a kill that interrupted the run counts: killed by the signal, no summary, chunks left.
      if (signal === "SIGKILL" && stdout === "" && now < total) killedAt = now;
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(count(db, "SELECT count(*) AS n FROM vector_values")).toBe(killedAt);
    const d = new Database(db);
    expect(d.pragma("integrity_check", { simple: true })).toBe("ok");
    d.close();

    const resumed = await json<EmbedJson>(["embed", "--db", db, "--json", "--threads", "1"]);
    expect(resumed).toMatchObject({ chunks: total, embedded: total - killedAt!, reused: killedAt });
    await cli(["embed", "--model", embedModel, "--db", reference, "--threads", "1"]);
    // By note and place: the two libraries' chunk ids differ (the parser's workers finish in any
    // order), and so may the binary codes, taken around the mean of whichever batch came first.
    const vectors = (file: string) => {
      const x = new Database(file, { readonly: true });
      try {
        return x
          .prepare(`
            SELECT d.path, c.ordinal, v.input_hash, y.scale, y.value
            FROM chunk_vectors v JOIN vector_values y ON y.vector_id = v.id JOIN chunks c ON c.id = v.chunk_id JOIN documents d ON d.id = c.document_id
            ORDER BY d.path, c.ordinal`)
          .all();
      } finally {
        x.close();
      }
    };
    expect(vectors(db)).toEqual(vectors(reference));
  }, 120_000);
});
