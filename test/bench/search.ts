import path from "node:path";
import { Library } from "../../main/library/library.js";
import { loadBeir, seededRandom, shuffled } from "./corpora.js";
import { writeChunkCorpus } from "./generate.js";
import { count, mbPerS, percentile, round, timed } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

/** Real questions in both languages, a seeded sample of the XQuAD ones. */
function sampleQueries(count: number): string[] {
  const all = [...loadBeir("ru").queries, ...loadBeir("en").queries].map((q) => q.text);
  const picked = shuffled(all, seededRandom(3));
  return Array.from({ length: count }, (_, i) => picked[i % picked.length]!);
}

export async function searchBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const notes = path.join(ctx.tmp, "notes");
  const dbPath = path.join(ctx.tmp, "library.sqlite");
  const written = writeChunkCorpus(notes, config.searchChunks);
  ctx.log(`wrote ${written.files} notes, ${(written.bytes / 1e6).toFixed(1)} MB; indexing…`);

  const builder = Library.open(dbPath, { threads: config.threads });
  const build = await timed(() => builder.index({ folders: [notes] })).finally(() => builder.close());
  const chunks = build.value.chunks;
  if (chunks < config.searchChunks) throw new Error(`The search corpus has ${chunks} chunks, fewer than the ${config.searchChunks} asked for.`);
  ctx.log(`indexed ${chunks} chunks in ${(build.ms / 1000).toFixed(1)} s (${mbPerS(written.bytes, build.ms).toFixed(1)} MB/s)`);

  // A fresh open, as after starting the app: the first queries pay for a cold SQLite cache too.
  const lib = Library.open(dbPath, { threads: config.threads });
  const samples: number[] = [];
  let empty = 0;
  try {
    for (const query of sampleQueries(config.searchQueries)) {
      const started = performance.now();
      const hits = lib.search(query, { k: 10 });
      samples.push(performance.now() - started);
      if (!hits.length) empty++;
    }
  } finally {
    await lib.close();
  }
  const at = (p: number) => percentile(samples, p);
  const label = `${count(chunks)} chunks`;
  return {
    rows: [
      { what: `search p50 at ${label}, k=10`, value: at(50), unit: "ms", digits: 1 },
      { what: `search p95 at ${label}, k=10`, value: at(95), unit: "ms", digits: 1, target: { op: "<=", value: 15 } },
      { what: `search p99 at ${label}, k=10`, value: at(99), unit: "ms", digits: 1 },
    ],
    details: {
      files: written.files,
      bytes: written.bytes,
      chunks,
      buildMs: round(build.ms),
      buildMbPerS: round(mbPerS(written.bytes, build.ms)),
      queries: samples.length,
      queriesWithoutHits: empty,
      maxMs: round(Math.max(...samples)),
      firstTenMs: samples.slice(0, 10).map((ms) => round(ms)),
      samplesMs: samples.map((ms) => round(ms, 3)),
    },
  };
}
