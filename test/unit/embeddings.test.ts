import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fuse, RRF_K } from "../../main/library/fusion.js";
import { Library, type LibraryOptions } from "../../main/library/library.js";
import type { EmbedderFactory } from "../../main/library/vectors/embedder.js";
import { LocalEmbedder } from "../../main/llm/embedding-host.js";
import { embeddingProfile } from "../../main/llm/embedding-profile.js";
import { ask } from "../../main/chat/answer.js";
import { lift } from "../../main/library/vectors/vector-index.js";
import { VectorStore } from "../../main/library/vectors/vector-store.js";
import type { GroundedBackend } from "../../main/llm/protocol.js";
import { CONCEPTS, conceptEmbedders, conceptVector } from "../fixtures/concept-embedder.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

const open: Library[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function library(dir: string, embedders?: LibraryOptions["embedders"]): Library {
  const lib = Library.open(path.join(dir, "lib.db"), { threads: 1, embedders });
  open.push(lib);
  return lib;
}

const tinyEmbedders: EmbedderFactory = (config) => {
  if (config.kind !== "local") throw new Error("local models only");
  return new LocalEmbedder(config.modelPath, { gpu: "cpu", threads: 1 });
};

/** chunk text → vector row id, for one space. */
function vectorRows(dbPath: string, modelId?: number): Map<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT c.text, v.id FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id WHERE (@model IS NULL OR v.model_id = @model)")
      .all({ model: modelId ?? null }) as Array<{ text: string; id: number }>;
    return new Map(rows.map((r) => [r.text, r.id]));
  } finally {
    db.close();
  }
}

const NOTES = {
  "links.md": "# Links\n\nSymlink loops are disallowed: the scanner never follows a link to a folder.\n",
  "phone.md": "# Phone\n\n## iOS\n\nThe app keeps its preferences in the Library folder.\n",
  "printer.md": "# Printer\n\nThe printer configuration folder on the desk holds the toner.\n",
  "cats.md": "# Кошки\n\nКошки любят спать на подоконнике.\n",
};

describe("embeddings with the tiny GGUF", () => {
  it("embeds every chunk once, a second run embeds none, and an edit re-embeds only the chunk it changed", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    const sections = (changed: string) => `# Long\n\n## One\n\nThe first section stays.\n\n## Two\n\n${changed}\n\n## Three\n\nThe third section stays.\n`;
    writeFiles(notes, { ...NOTES, "long.md": "x".repeat(3000) + "\n\n" + "y".repeat(3000) + "\n" });
    const lib = library(dir, tinyEmbedders);
    await lib.index({ folders: [notes] });
    const model = writeTinyGguf(path.join(dir, "embed.gguf"), { pooling: "mean", name: "tiny-embed" });

    const status = await lib.useEmbeddingModel({ kind: "local", modelPath: model });
    expect(status).toMatchObject({ model: { name: "tiny-embed", kind: "local", location: model, dims: 64 }, embedded: 0, running: false, error: null });
    const chunks = status.total;
    expect(chunks).toBeGreaterThan(5);
    const progress: number[] = [];
    const first = await lib.embed({ onProgress: (p) => progress.push(p.embedded) });
    expect(first).toMatchObject({ model: "tiny-embed", dims: 64, chunks, embedded: chunks, reused: 0 });
    expect(progress.at(-1)).toBe(chunks);
    expect(lib.embeddingStatus()).toMatchObject({ embedded: chunks, total: chunks });
    expect(await lib.embed()).toMatchObject({ chunks, embedded: 0, reused: chunks });

    fs.writeFileSync(path.join(notes, "long.md"), sections("The second section was changed."));
    await lib.index();
    const before = vectorRows(lib.dbPath);
    // The rewritten note's chunks are all new rows; its unchanged ones kept their vectors.
    const changed = await lib.embed();
    expect(changed.embedded).toBe(3);
    fs.writeFileSync(path.join(notes, "long.md"), sections("The second section changed again."));
    await lib.index();
    const kept = vectorRows(lib.dbPath);
    expect(await lib.embed()).toMatchObject({ embedded: 1, reused: lib.embeddingStatus().total - 1 });
    const after = vectorRows(lib.dbPath);
    for (const text of ["## One\n\nThe first section stays.", "## Three\n\nThe third section stays."]) {
      const key = [...kept.keys()].find((t) => t.includes(text.split("\n\n")[1]!))!;
      expect(after.get(key)).toBe(kept.get(key));
    }
    expect([...before.keys()].filter((t) => t.startsWith("Symlink") || t.includes("Symlink")).map((t) => after.get(t))).toEqual(
      [...before.keys()].filter((t) => t.includes("Symlink")).map((t) => before.get(t)),
    );

    const semantic = await lib.query("a note about links", { mode: "semantic", k: 3 });
    expect(semantic.mode).toBe("semantic");
    expect(semantic.hits.map((h) => h.retrievers)).toEqual([1, 2, 3].map((semantic) => ({ lexical: null, semantic })));
  });

  it("a note renamed or moved keeps its chunks' vectors: the next run embeds none of them", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    writeFiles(notes, NOTES);
    const lib = library(dir, tinyEmbedders);
    await lib.index({ folders: [notes] });
    await lib.useEmbeddingModel({ kind: "local", modelPath: writeTinyGguf(path.join(dir, "embed.gguf"), { pooling: "mean", name: "tiny-embed" }) });
    const chunks = (await lib.embed()).chunks;
    const before = vectorRows(lib.dbPath);

    fs.mkdirSync(path.join(notes, "archive"));
    fs.renameSync(path.join(notes, "links.md"), path.join(notes, "archive", "links.md"));
    fs.renameSync(path.join(notes, "printer.md"), path.join(notes, "printer-notes.md"));
    await lib.index();
    expect(lib.embeddingStatus().embedded).toBeLessThan(chunks);
    const run = await lib.embed();
    expect(run).toMatchObject({ chunks, embedded: 0, reused: chunks });
    // The same vectors, now on the moved chunks' new rows; nothing is left over once all are placed.
    const after = vectorRows(lib.dbPath);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const db = new Database(lib.dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM released_vectors").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const semantic = await lib.query("a note about links", { mode: "semantic", k: 1 });
    expect(semantic.hits[0]?.path).toBeDefined();
  });

  it("pools as the GGUF says: mean, CLS and last-token pooling give different vectors of one text", async () => {
    const dir = tempDir();
    const vectors: number[][] = [];
    for (const pooling of ["mean", "cls", "last"] as const) {
      const embedder = new LocalEmbedder(writeTinyGguf(path.join(dir, `${pooling}.gguf`), { pooling }), { gpu: "cpu", threads: 1 });
      const [v] = await embedder.embed(["the same text for every pooling"], "passage");
      vectors.push([...v!]);
      await embedder.close();
    }
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(vectors[0]).not.toEqual(vectors[2]);
    expect(vectors[1]).not.toEqual(vectors[2]);
  });

  it("cuts a text longer than the model's context instead of failing", async () => {
    const dir = tempDir();
    const embedder = new LocalEmbedder(writeTinyGguf(path.join(dir, "short.gguf"), { pooling: "mean", contextLength: 128 }), { gpu: "cpu", threads: 1 });
    try {
      const [long] = await embedder.embed(["word ".repeat(2000)], "passage");
      expect(long).toHaveLength(64);
    } finally {
      await embedder.close();
    }
  });

  it("switching models never mixes spaces, and switching back re-embeds nothing", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    writeFiles(notes, NOTES);
    const lib = library(dir, tinyEmbedders);
    await lib.index({ folders: [notes] });
    const a = writeTinyGguf(path.join(dir, "a.gguf"), { pooling: "mean", name: "model-a" });
    const b = writeTinyGguf(path.join(dir, "b.gguf"), { pooling: "mean", name: "model-b", seed: 2, embeddingLength: 32 });
    await lib.useEmbeddingModel({ kind: "local", modelPath: a });
    const chunks = (await lib.embed()).embedded;
    expect(await lib.useEmbeddingModel({ kind: "local", modelPath: b })).toMatchObject({ model: { name: "model-b", dims: 32 }, embedded: 0, total: chunks });
    // Until model b has vectors, the automatic mode is lexical: a's vectors are of another space.
    expect((await lib.query("printer", {})).mode).toBe("lexical");
    expect(await lib.embed()).toMatchObject({ model: "model-b", dims: 32, embedded: chunks });
    expect((await lib.query("printer", {})).mode).toBe("hybrid");
    expect(await lib.useEmbeddingModel({ kind: "local", modelPath: a })).toMatchObject({ model: { name: "model-a", dims: 64 }, embedded: chunks });
    expect(await lib.embed()).toMatchObject({ embedded: 0, reused: chunks });
    const db = new Database(lib.dbPath, { readonly: true });
    expect(db.prepare("SELECT m.name, count(v.id) AS n FROM embedding_models m LEFT JOIN chunk_vectors v ON v.model_id = m.id GROUP BY m.id ORDER BY m.id").all()).toEqual([
      { name: "model-a", n: chunks },
      { name: "model-b", n: chunks },
    ]);
    db.close();
  });

  it("a broken model file is refused with a clear error, and search goes on", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    writeFiles(notes, NOTES);
    const lib = library(dir, tinyEmbedders);
    await lib.index({ folders: [notes] });
    const broken = writeTinyGguf(path.join(dir, "broken.gguf"), { architecture: "no-such-architecture" });
    await expect(lib.useEmbeddingModel({ kind: "local", modelPath: broken })).rejects.toMatchObject({ code: "UNSUPPORTED_ARCHITECTURE", message: expect.stringContaining("no-such-architecture") });
    const notGguf = path.join(dir, "notes.gguf");
    fs.writeFileSync(notGguf, "not a model");
    await expect(lib.useEmbeddingModel({ kind: "local", modelPath: notGguf })).rejects.toMatchObject({ code: "NOT_GGUF" });
    expect(lib.embeddingStatus().model).toBeNull();
    await expect(lib.embed()).rejects.toMatchObject({ code: "NO_EMBEDDING_MODEL" });
    expect(await lib.query("printer configuration")).toMatchObject({ mode: "lexical", notice: null, hits: [{ path: path.join(fs.realpathSync(notes), "printer.md") }] });

    // A model that worked and then went missing: the automatic search says why it is lexical.
    const model = writeTinyGguf(path.join(dir, "gone.gguf"), { pooling: "mean" });
    await lib.useEmbeddingModel({ kind: "local", modelPath: model });
    await lib.embed();
    await lib.close();
    fs.rmSync(model);
    const reopened = library(dir, tinyEmbedders);
    const fallback = await reopened.query("printer configuration");
    expect(fallback).toMatchObject({ mode: "lexical", notice: expect.stringContaining(`There is no model file at ${model}`) });
    expect(fallback.hits[0]).toMatchObject({ path: path.join(fs.realpathSync(notes), "printer.md"), retrievers: { lexical: 1, semantic: null } });
    await expect(reopened.query("printer configuration", { mode: "semantic" })).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("a model file replaced by one of other dimensions is a clear mismatch, and search goes on", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    writeFiles(notes, NOTES);
    const lib = library(dir, tinyEmbedders);
    await lib.index({ folders: [notes] });
    const model = writeTinyGguf(path.join(dir, "embed.gguf"), { pooling: "mean", name: "tiny-embed" });
    await lib.useEmbeddingModel({ kind: "local", modelPath: model });
    await lib.embed();
    await lib.close();
    writeTinyGguf(model, { pooling: "mean", name: "tiny-embed", embeddingLength: 32 });
    const reopened = library(dir, tinyEmbedders);
    const fallback = await reopened.query("printer configuration");
    expect(fallback.mode).toBe("lexical");
    expect(fallback.notice).toMatch(/no longer the one this library's vectors were made with \(tiny-embed, 64 dimensions; it now makes 32\)/);
    expect(fallback.hits.length).toBeGreaterThan(0);
    await expect(reopened.query("printer", { mode: "hybrid" })).rejects.toMatchObject({ code: "EMBEDDING_MISMATCH" });
    await expect(reopened.embed()).rejects.toMatchObject({ code: "EMBEDDING_MISMATCH" });
    expect(reopened.embeddingStatus().error).toMatch(/no longer the one/);
    // Setting it again makes a new space of 32 dimensions.
    expect(await reopened.useEmbeddingModel({ kind: "local", modelPath: model })).toMatchObject({ model: { dims: 32 }, embedded: 0 });
  });
});

describe("hybrid retrieval with vectors whose answer is known", () => {
  async function conceptLibrary() {
    const dir = tempDir();
    const notes = fs.realpathSync(tempDir());
    writeFiles(notes, NOTES);
    const concepts = conceptEmbedders();
    const lib = library(dir, concepts.factory);
    await lib.index({ folders: [notes] });
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/concepts.gguf" });
    await lib.embed();
    return { lib, notes, concepts, file: (name: string) => path.join(notes, name) };
  }

  it("finds a paraphrase that shares no word with its note, and says which retriever found what", async () => {
    const { lib, file } = await conceptLibrary();
    const question = "why are circular symlinks forbidden";
    // Lexically, only "symlinks" matches (stemmed), and links.md holds it.
    const lexical = await lib.query(question, { mode: "lexical" });
    expect(lexical.hits.map((h) => h.path)).toEqual([file("links.md")]);

    const iphone = "iPhone settings";
    expect((await lib.query(iphone, { mode: "lexical" })).hits).toEqual([]);
    const semantic = await lib.query(iphone, { mode: "semantic", k: 2 });
    expect(semantic.hits[0]).toMatchObject({ path: file("phone.md"), retrievers: { lexical: null, semantic: 1 }, highlights: [] });
    // Cosine of (iOS, configuration) with (iOS ×2 from the heading, configuration): 3 / √10, within int8's rounding.
    expect(semantic.hits[0]!.score).toBeCloseTo(3 / Math.sqrt(10), 2);

    // "printer configuration folder": lexically printer.md, then the two notes with "folder";
    // semantically printer.md (printer, configuration), phone.md (configuration), then the rest.
    const hybrid = await lib.query("printer configuration folder", { k: 3 });
    expect(hybrid.mode).toBe("hybrid");
    expect(hybrid.hits.map((h) => [path.basename(h.path), h.retrievers])).toEqual([
      ["printer.md", { lexical: 1, semantic: 1 }],
      ["phone.md", { lexical: 2, semantic: 2 }],
      ["links.md", { lexical: 3, semantic: 4 }],
    ]);
    expect(hybrid.hits[0]!.score).toBeCloseTo(2 / (RRF_K + 1), 6);
    expect(hybrid.hits[2]!.score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 4), 6);
    // "printer toner": cats.md is the vectors' fourth, but no closer than the library at large,
    // and no word of it matches: hybrid search leaves it out.
    const toner = await lib.query("printer toner", { k: 10 });
    expect(toner.hits.map((h) => [path.basename(h.path), h.retrievers])).toEqual([["printer.md", { lexical: 1, semantic: 1 }]]);
  });

  it("finds nothing for a question no note is about, so ask refuses without asking the model", async () => {
    const { lib } = await conceptLibrary();
    const question = "When was Napoleon born";
    // Semantic search lists the nearest chunks whatever they are; hybrid search counts none, as
    // every chunk's vector is as far from this one as any other and no word matches.
    expect((await lib.query(question, { mode: "semantic" })).hits).toHaveLength(4);
    expect(await lib.query(question)).toMatchObject({ mode: "hybrid", hits: [] });
    const noModel: GroundedBackend = { answer: () => Promise.reject(new Error("the model must not be called")), modelName: () => null };
    expect(await ask(lib, noModel, question)).toMatchObject({ refused: true, candidates: [], answer: "Your notes do not answer this question." });
    // The floor is a lift over the background, not a cosine: 0.8 over e5's 0.75 is 0.5 over bge-m3's 0.375.
    expect(lift(0.8, 0.75)).toBeCloseTo(0.2, 6);
    expect(lift(0.5, 0.375)).toBeCloseTo(0.2, 6);
  });

  it("ask's stop reaches the query's embedding, which would otherwise keep the question waiting", async () => {
    const { lib, concepts } = await conceptLibrary();
    // From now on the model takes a query's vector only when its request is cancelled.
    const base = concepts.factory({ kind: "local", modelPath: "/models/concepts.gguf" });
    const held: EmbedderFactory = () => ({
      ...base,
      embed: (texts, role, signal) =>
        role === "passage" ? base.embed(texts, role, signal) : new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true })),
    });
    const slow = library(path.dirname(lib.dbPath), held);
    const stop = new AbortController();
    const noModel: GroundedBackend = { answer: () => Promise.reject(new Error("the model must not be called")), modelName: () => null };
    const asked = ask(slow, noModel, "iPhone settings", { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(asked).rejects.toMatchObject({ name: "AbortError" });
  });

  it("keeps a chunk only the vectors found where it stands out of the library, though every cosine is high", async () => {
    // Every vector shares one large direction, as e5's do: unrelated notes are at cosine 0.8 here.
    const dir = tempDir();
    const notes = fs.realpathSync(tempDir());
    const topics = ["printer", "cats", "iphone", "symlink"];
    writeFiles(notes, Object.fromEntries(topics.map((t, i) => [`${i}.md`, `# Note ${i}\n\nAbout ${t}.\n`])));
    const shared = (t: string) => {
      const v = conceptVector(t);
      v[CONCEPTS.length]! += 2;
      return v;
    };
    const factory: EmbedderFactory = (config) => ({ ...conceptEmbedders().factory(config), embed: async (texts) => texts.map(shared) });
    const lib = library(dir, factory);
    await lib.index({ folders: [notes] });
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/shared.gguf" });
    await lib.embed();
    // "toner" is no word of the notes: only the vectors find 0.md, far above the rest.
    const hits = (await lib.query("toner", { mode: "hybrid" })).hits;
    expect(hits.map((h) => [path.basename(h.path), h.retrievers])).toEqual([["0.md", { lexical: null, semantic: 1 }]]);
    expect((await lib.query("quantum chromodynamics", { mode: "hybrid" })).hits).toEqual([]);
  });

  it("applies the filters to both retrievers", async () => {
    const { lib, notes, file } = await conceptLibrary();
    const other = fs.realpathSync(tempDir());
    writeFiles(other, { "ipad.md": "# Tablet\n\nThe iPad keeps its preferences too.\n" });
    await lib.index({ folders: [other] });
    await lib.embed();
    const everywhere = await lib.query("iPhone settings", { mode: "semantic", k: 5 });
    expect(everywhere.hits.map((h) => h.path)).toContain(path.join(other, "ipad.md"));
    const inNotes = await lib.query("iPhone settings", { mode: "hybrid", k: 5, filters: { folder: notes } });
    expect(inNotes.hits.length).toBeGreaterThan(0);
    expect(inNotes.hits.every((h) => h.path.startsWith(notes + path.sep))).toBe(true);
    expect(inNotes.hits[0]).toMatchObject({ path: file("phone.md") });
    const html = await lib.query("iPhone settings", { mode: "semantic", filters: { formats: ["html"] } });
    expect(html.hits).toEqual([]);
  });

  it("embeds passages and queries with their roles, and the automatic mode needs the active model's vectors", async () => {
    const { lib, concepts } = await conceptLibrary();
    expect(new Set(concepts.calls.filter((c) => c.text.includes("Symlink")).map((c) => c.role))).toEqual(new Set(["passage"]));
    // Each chunk is embedded under its title and heading path.
    expect(concepts.calls.map((c) => c.text)).toContain("Phone › iOS\n\n# Phone\n\n## iOS\n\nThe app keeps its preferences in the Library folder.");
    await lib.query("iphone", {});
    expect(concepts.calls.at(-1)).toEqual({ role: "query", text: "iphone" });
  });

  it("a model that starts making vectors of other dimensions fails the run clearly and keeps what was stored", async () => {
    const { lib, notes, concepts } = await conceptLibrary();
    const embedded = lib.embeddingStatus().embedded;
    writeFiles(notes, { "new.md": "# New\n\nA new note about cats.\n" });
    await lib.index();
    concepts.dims = 3;
    await expect(lib.embed()).rejects.toMatchObject({ code: "EMBEDDING_MISMATCH", message: expect.stringContaining("returned 3-dimensional vectors, but this library's vectors of concepts have 7") });
    expect(lib.embeddingStatus()).toMatchObject({ embedded, error: expect.stringContaining("3-dimensional") });
    expect((await lib.query("printer")).hits.length).toBeGreaterThan(0);
  });
});

describe("the loaded codes", () => {
  it("follow notes written, changed and removed without being read again, as a fresh library finds them", async () => {
    const dir = tempDir();
    const notes = fs.realpathSync(tempDir());
    writeFiles(notes, NOTES);
    const concepts = conceptEmbedders();
    const lib = library(dir, concepts.factory);
    await lib.index({ folders: [notes] });
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/concepts.gguf" });
    await lib.embed();
    const reads = vi.spyOn(VectorStore.prototype, "codes");
    const questions = ["iPhone settings", "кошка", "printer toner", "circular symlinks"];
    const ranking = async (l: Library) => Promise.all(questions.map(async (q) => (await l.query(q, { mode: "semantic", k: 5 })).hits.map((h) => [path.basename(h.path), h.score])));
    const fresh = async () => {
      const other = library(dir, concepts.factory);
      try {
        return await ranking(other);
      } finally {
        open.splice(open.indexOf(other), 1);
        await other.close();
      }
    };
    await ranking(lib);
    expect(reads).toHaveBeenCalledTimes(1);

    // A note added, one rewritten, one removed, and the one with the highest ids removed before
    // the next is written, which takes its chunk's and its vector's ids again.
    const highest = () => {
      const db = new Database(lib.dbPath, { readonly: true });
      try {
        return db.prepare("SELECT max(c.id) AS chunk, max(v.id) AS vector FROM chunks c LEFT JOIN chunk_vectors v ON v.chunk_id = c.id").get();
      } finally {
        db.close();
      }
    };
    const steps: Array<() => Promise<void>> = [
      async () => writeFiles(notes, { "kitten.md": "# Pets\n\nA kitten sleeps all day.\n" }),
      async () => writeFiles(notes, { "printer.md": "# Printer\n\nThe printer is now in the iPhone settings.\n" }),
      async () => fs.rmSync(path.join(notes, "phone.md")),
      async () => {
        const before = highest();
        fs.rmSync(path.join(notes, "printer.md"));
        await lib.index();
        writeFiles(notes, { "loops.md": "# Loops\n\nCircular symlinks are refused.\n" });
        await lib.index();
        await lib.embed();
        expect(highest()).toEqual(before);
      },
    ];
    for (const step of steps) {
      await step();
      await lib.index();
      await lib.embed();
      reads.mockClear();
      const now = await ranking(lib);
      expect(reads).not.toHaveBeenCalled();
      expect(now).toEqual(await fresh());
    }
    const last = (await ranking(lib)).map((hits) => hits.map(([name]) => name));
    expect(last[1]!.slice(0, 2).sort()).toEqual(["cats.md", "kitten.md"]);
    expect(last[3]!.slice(0, 2)).toEqual(["loops.md", "links.md"]);
    expect(last.flat()).not.toContain("phone.md");
    reads.mockRestore();
  });
});

describe("spaces kept", () => {
  it("replacing the model keeps the vectors of the one it replaced, and deletes older ones", async () => {
    const dir = tempDir();
    const notes = path.join(dir, "notes");
    writeFiles(notes, NOTES);
    const names = ["model-a", "model-b", "model-c"];
    const spaces = Object.fromEntries(names.map((n) => [n, conceptEmbedders(n)]));
    const factory: EmbedderFactory = (config) => spaces[path.basename(config.kind === "local" ? config.modelPath : config.model, ".gguf")]!.factory(config);
    const lib = library(dir, factory);
    await lib.index({ folders: [notes] });
    const spacesStored = () => {
      const db = new Database(lib.dbPath, { readonly: true });
      try {
        return db.prepare("SELECT m.name, count(v.id) AS n FROM embedding_models m LEFT JOIN chunk_vectors v ON v.model_id = m.id GROUP BY m.id ORDER BY m.id").all();
      } finally {
        db.close();
      }
    };
    for (const name of names) {
      await lib.useEmbeddingModel({ kind: "local", modelPath: `/models/${name}.gguf` });
      await lib.embed();
    }
    const chunks = lib.embeddingStatus().total;
    expect(spacesStored()).toEqual([
      { name: "model-b", n: chunks },
      { name: "model-c", n: chunks },
    ]);
    // Setting the model in use again deletes nothing.
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/model-c.gguf" });
    expect(spacesStored()).toHaveLength(2);
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/model-b.gguf" });
    expect(await lib.embed()).toMatchObject({ embedded: 0, reused: chunks });
  });
});

describe("fusion", () => {
  it("scores by weighted reciprocal rank, and breaks ties by the better single rank", () => {
    const fused = fuse([10, 20, 30], [30, 40, 10], 10);
    expect(fused.map((f) => [f.id, f.retrievers])).toEqual([
      [10, { lexical: 1, semantic: 3 }],
      [30, { lexical: 3, semantic: 1 }],
      [20, { lexical: 2, semantic: null }],
      [40, { lexical: null, semantic: 2 }],
    ]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 63, 12);
    expect(fuse([1, 2], [2, 1], 10, { lexical: 2, semantic: 1 }).map((f) => f.id)).toEqual([1, 2]);
    expect(fuse([1, 2, 3], [], 2).map((f) => f.id)).toEqual([1, 2]);
  });
});

describe("embedding profiles", () => {
  it("gives e5 its query: and passage: prefixes, and bge-m3 none", () => {
    expect(embeddingProfile("multilingual-e5-large")).toEqual({ query: "query: ", passage: "passage: " });
    expect(embeddingProfile("Multilingual E5 Large Instruct")).toMatchObject({ passage: "" });
    expect(embeddingProfile("bge-m3")).toEqual({ query: "", passage: "" });
    expect(embeddingProfile("tiny-embed", "tiny.gguf")).toEqual({ query: "", passage: "" });
  });
});

describe("watching", () => {
  it("keeps vectors current as notes change", async () => {
    const dir = tempDir();
    const notes = fs.realpathSync(tempDir());
    writeFiles(notes, NOTES);
    const concepts = conceptEmbedders();
    const lib = library(dir, concepts.factory);
    await lib.index({ folders: [notes] });
    await lib.useEmbeddingModel({ kind: "local", modelPath: "/models/concepts.gguf" });
    const errors: Error[] = [];
    await lib.watch({ debounceMs: 20, onError: (e) => errors.push(e) });
    await waitFor(() => lib.embeddingStatus().embedded === lib.embeddingStatus().total && lib.embeddingStatus().total > 0, 10_000, "the catch-up embedding");
    fs.writeFileSync(path.join(notes, "kitten.md"), "# Pets\n\nA kitten sleeps all day.\n");
    const found = await waitFor(async () => {
      const status = lib.embeddingStatus();
      if (status.embedded !== status.total) return undefined;
      return (await lib.query("кошка", { mode: "semantic", k: 2 })).hits.find((h) => h.path.endsWith("kitten.md"));
    }, 10_000, "the new note's vector");
    expect(found?.retrievers.semantic).not.toBeNull();
    fs.rmSync(path.join(notes, "cats.md"));
    await waitFor(() => lib.files().every((f) => !f.path.endsWith("cats.md")), 10_000, "the deletion");
    expect((await lib.query("кошка", { mode: "semantic", k: 5 })).hits.map((h) => path.basename(h.path))).not.toContain("cats.md");
    expect(errors).toEqual([]);
  });
});
