import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { Library } from "../../main/library/library.js";
import type { Embedder, EmbedderFactory } from "../../main/library/vectors/embedder.js";
import { PROBE_TEXT } from "../../main/library/vectors/embeddings.js";
import { dot, normalize, toCode, toInt8 } from "../../main/library/vectors/quantize.js";
import { RESCORE_CANDIDATES, VectorIndex } from "../../main/library/vectors/vector-index.js";
import { VectorStore } from "../../main/library/vectors/vector-store.js";
import { LocalEmbedder } from "../../main/llm/embedding-host.js";
import { llamaBinding } from "../../main/llm/binding.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { loadBeir, seededRandom, shuffled } from "./corpora.js";
import { writeChunkCorpus } from "./generate.js";
import { count, percentile, round, timed } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

/** bge-m3's and multilingual-e5-large's width. */
const DIMS = 1024;
const QUERIES = 300;
const RECALL_QUERIES = 100;
const K = 10;
/** Notes written, indexed and embedded between searches. */
const WRITES = 20;

/**
 * Vectors shaped like a real model's: a direction every text shares (cosines between e5 vectors
 * sit above 0.7), a topic among a thousand, and the text's own part. Each query is a noisy copy
 * of one chunk's vector, so its true neighbours are a few close chunks, then the topic's.
 */
function vectorSpace(seed: number) {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const random = () => normalize(Float32Array.from({ length: DIMS }, gauss));
  const common = random();
  const topics = Array.from({ length: 1000 }, random);
  const mix = (parts: Array<[Float32Array, number]>) => {
    const v = new Float32Array(DIMS);
    for (const [part, weight] of parts) for (let i = 0; i < DIMS; i++) v[i]! += part[i]! * weight;
    return normalize(v);
  };
  return {
    chunk: () => mix([[common, 0.8], [topics[Math.floor(rand() * topics.length)]!, 0.45], [random(), 0.4]]),
    query: (of: Float32Array) => mix([[of, 1], [random(), 0.35]]),
  };
}

/** An embedder that hands out vectors made beforehand, so the timings leave the model out. */
function cannedEmbedders(probe: Float32Array, queryVector: () => Float32Array): EmbedderFactory {
  return (): Embedder => ({
    kind: "local",
    location: "/bench/canned.gguf",
    name: async () => "canned-1024",
    embed: async (texts) => texts.map((t) => (t === PROBE_TEXT ? probe : queryVector())),
    close: async () => {},
  });
}

function sampleQueries(n: number): string[] {
  const all = [...loadBeir("ru").queries, ...loadBeir("en").queries].map((q) => q.text);
  const picked = shuffled(all, seededRandom(5));
  return Array.from({ length: n }, (_, i) => picked[i % picked.length]!);
}

export async function vectorsBench(ctx: BenchContext): Promise<BenchOutput> {
  const chunksWanted = Number(process.env.BENCH_VECTOR_CHUNKS ?? 100_000);
  const notes = path.join(ctx.tmp, "notes");
  const dbPath = path.join(ctx.tmp, "library.sqlite");
  writeChunkCorpus(notes, chunksWanted);
  const builder = Library.open(dbPath, { threads: ctx.config.threads });
  const chunks = (await builder.index({ folders: [notes] }).finally(() => builder.close())).chunks;
  ctx.log(`indexed ${chunks} chunks; writing ${DIMS}-dimensional vectors…`);

  // Vectors go straight into the store, as the embedding run writes them.
  const space = vectorSpace(11);
  const exact = new Map<number, Float32Array>();
  const db = new Database(dbPath);
  const store = new VectorStore(db);
  const probe = space.chunk();
  const modelId = store.addModel("canned-1024", "local", "/bench/canned.gguf", probe);
  store.activate(modelId, "local", "/bench/canned.gguf");
  const write = await timed(async () => {
    for (let after = 0; ; ) {
      const batch = store.pending(modelId, after, 1000);
      if (!batch.length) break;
      after = batch.at(-1)!.chunkId;
      const vectors = batch.map(() => space.chunk());
      if (!store.active()!.center) store.setCenter(modelId, mean(vectors));
      const center = store.active()!.center;
      db.transaction(() =>
        store.insert(modelId, batch.map((c, i) => ({ chunkId: c.chunkId, hash: c.hash, code: toCode(vectors[i]!, center), ...toInt8(vectors[i]!) }))),
      ).immediate();
      batch.forEach((c, i) => exact.set(c.chunkId, vectors[i]!));
    }
  });
  const model = store.active()!;
  const dbBytesPerVector = (db.prepare("SELECT sum(pgsize) AS n FROM dbstat WHERE name IN ('chunk_vectors', 'vector_values', 'chunk_vectors_model', 'sqlite_autoindex_chunk_vectors_1')").get() as { n: number }).n / chunks;
  ctx.log(`wrote ${exact.size} vectors in ${(write.ms / 1000).toFixed(1)} s`);

  // Recall of the binary scan plus rescoring against exact float32 search, for several depths.
  const index = new VectorIndex(store);
  const load = await timed(async () => index.search(model, space.query(exact.values().next().value!), { n: K }));
  const memoryPer100k = (index.memoryBytes() / exact.size) * 100_000 / 1e6;
  const ids = [...exact.keys()];
  const rand = seededRandom(17);
  const recallQueries = Array.from({ length: RECALL_QUERIES }, () => space.query(exact.get(ids[Math.floor(rand() * ids.length)]!)!));
  const truth = recallQueries.map((q) => [...exact].map(([id, v]) => ({ id, s: dot(q, v) })).sort((a, b) => b.s - a.s).slice(0, K).map((x) => x.id));
  const recall: Record<string, number> = {};
  const scanMs: Record<string, number> = {};
  for (const rescore of [64, 128, 256, 512, 1024]) {
    let found = 0;
    const times: number[] = [];
    recallQueries.forEach((q, i) => {
      const started = performance.now();
      const hits = index.search(model, q, { n: K, rescore });
      times.push(performance.now() - started);
      const top = new Set(hits.map((h) => h.chunkId));
      found += truth[i]!.filter((id) => top.has(id)).length;
    });
    recall[rescore] = round(found / (RECALL_QUERIES * K), 4);
    scanMs[rescore] = round(percentile(times, 95), 2);
  }
  db.close();
  ctx.log(`recall@${K} by rescoring depth: ${JSON.stringify(recall)}`);

  // Semantic and hybrid search through the library, the query's vector made beforehand.
  let next = 0;
  const queryVectors = Array.from({ length: QUERIES }, () => space.query(exact.get(ids[Math.floor(rand() * ids.length)]!)!));
  const lib = Library.open(dbPath, { threads: ctx.config.threads, embedders: cannedEmbedders(probe, () => queryVectors[next++ % QUERIES]!) });
  const texts = sampleQueries(QUERIES);
  const semantic: number[] = [];
  const hybrid: number[] = [];
  const lexical: number[] = [];
  const afterWrite: number[] = [];
  try {
    await lib.query(texts[0]!, { mode: "semantic", k: K });
    for (const text of texts) {
      for (const [mode, samples] of [["semantic", semantic], ["hybrid", hybrid], ["lexical", lexical]] as const) {
        const started = performance.now();
        await lib.query(text, { mode, k: K });
        samples.push(performance.now() - started);
      }
    }
    // Searches while the library changes: a new note indexed and embedded, then a search.
    for (let i = 0; i < WRITES; i++) {
      const note = path.join(notes, `written-${i}.md`);
      fs.writeFileSync(note, `# Written ${i}\n\n${"A paragraph written while searching. ".repeat(30)}\n\n## More\n\n${"Another paragraph. ".repeat(30)}\n`);
      await lib.applyChanges([note]);
      await lib.embed();
      const started = performance.now();
      await lib.query(texts[i % texts.length]!, { mode: "semantic", k: K });
      afterWrite.push(performance.now() - started);
    }
  } finally {
    await lib.close();
  }
  const label = `${count(chunks)} chunks × ${DIMS} dims`;
  const throughput = await throughputBench(ctx);
  return {
    rows: [
      { what: `semantic search p95 at ${label} (vector part; query vector given)`, value: percentile(semantic, 95), unit: "ms", digits: 1, target: { op: "<=", value: 15 } },
      { what: `hybrid search p95 at ${label} (lexical + vectors + fusion)`, value: percentile(hybrid, 95), unit: "ms", digits: 1 },
      { what: `the same queries, lexical only, p95`, value: percentile(lexical, 95), unit: "ms", digits: 1 },
      { what: `recall@${K} of the binary scan + int8 rescoring of ${RESCORE_CANDIDATES} vs exact float32`, value: recall[RESCORE_CANDIDATES]!, unit: "", digits: 3 },
      { what: "memory per 100k vectors in the scan (codes + ids)", value: memoryPer100k, unit: "MB", digits: 1 },
      { what: "database per vector (code, int8 values, keys)", value: dbBytesPerVector, unit: "B", digits: 0 },
      { what: `loading ${label}' codes on the first search`, value: load.ms, unit: "ms", digits: 0 },
      { what: `semantic search p95 right after a note was indexed and embedded (${WRITES} times)`, value: percentile(afterWrite, 95), unit: "ms", digits: 1 },
      { what: "embedding throughput: pipeline ÷ bare node-llama-cpp calls, same texts", value: throughput.overhead, unit: "", digits: 3, target: { op: "<=", value: 1.1 } },
    ],
    details: {
      chunks,
      dims: DIMS,
      recallByRescoreDepth: recall,
      scanP95MsByRescoreDepth: scanMs,
      semanticP50Ms: round(percentile(semantic, 50), 2),
      hybridP50Ms: round(percentile(hybrid, 50), 2),
      writeMs: round(write.ms),
      ...throughput,
    },
  };
}

function mean(vectors: readonly Float32Array[]): Float32Array {
  const center = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) center[i]! += v[i]! / vectors.length;
  return center;
}

/**
 * The embedding run's own cost: the same chunks embedded by bare getEmbeddingFor calls on one
 * context, then by library.embed() (reading, hashing, normalizing, quantizing, writing in batches),
 * with the same tiny model at 256 dimensions on one thread, in this process.
 */
async function throughputBench(ctx: BenchContext): Promise<{ overhead: number; bareMs: number; pipelineMs: number; texts: number }> {
  const notes = path.join(ctx.tmp, "embed-notes");
  const texts = 600;
  fs.mkdirSync(notes, { recursive: true });
  for (let i = 0; i < texts; i++) fs.writeFileSync(path.join(notes, `n${i}.md`), `# Note ${i}\n\nA paragraph about the river ${i} and the garden, ${"with enough words to be a passage of a note. ".repeat(4)}\n`);
  const modelPath = writeTinyGguf(path.join(ctx.tmp, "embed.gguf"), { pooling: "mean", name: "tiny-embed", embeddingLength: 256 });
  const lib = Library.open(path.join(ctx.tmp, "embed.sqlite"), { threads: 1, embedders: (c) => new LocalEmbedder(c.kind === "local" ? c.modelPath : "", { gpu: "cpu", threads: 1 }) });
  try {
    await lib.index({ folders: [notes] });
    const inputs = new VectorStore(lib.database).pending(0, 0, texts).map((c) => c.input);
    const { getLlama } = await llamaBinding();
    const llama = await getLlama({ gpu: false, build: "never", skipDownload: true });
    const model = await llama.loadModel({ modelPath });
    const context = await model.createEmbeddingContext({ contextSize: 2048, batchSize: 2048, threads: 1 });
    const bare = await timed(async () => {
      for (const input of inputs) await context.getEmbeddingFor(model.tokenize(input));
    });
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    await lib.useEmbeddingModel({ kind: "local", modelPath });
    const pipeline = await timed(() => lib.embed());
    ctx.log(`embedded ${inputs.length} texts: bare ${round(bare.ms)} ms, pipeline ${round(pipeline.ms)} ms`);
    return { overhead: pipeline.ms / bare.ms, bareMs: round(bare.ms), pipelineMs: round(pipeline.ms), texts: inputs.length };
  } finally {
    await lib.close();
  }
}
