import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IndexSummary } from "../../shared/library.js";
import { writeSmallNotes } from "./generate.js";
import { count, median, round, runCliJson } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

const READ_COUNTER = fileURLToPath(new URL("./read-counter.js", import.meta.url));

/** `sourcebook index` in a fresh process with the read counter preloaded: its summary and the note files it opened. */
async function countedIndex(notes: string, dbPath: string, log: string): Promise<{ summary: IndexSummary; reads: number }> {
  fs.rmSync(log, { force: true });
  const { json } = await runCliJson<IndexSummary>(["index", notes, "--db", dbPath, "--json"], {
    nodeArgs: ["--import", READ_COUNTER],
    env: { BENCH_READS_LOG: log, BENCH_READS_UNDER: notes + path.sep },
  });
  const reads = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0;
  return { summary: json, reads };
}

export async function restartBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const notes = path.join(fs.realpathSync(ctx.tmp), "notes");
  const dbPath = path.join(ctx.tmp, "library.sqlite");
  const log = path.join(ctx.tmp, "reads.log");
  const written = writeSmallNotes(notes, config.restartFiles);

  // The first run shows the counter works: it must see every note being read.
  const first = await countedIndex(notes, dbPath, log);
  if (first.summary.indexed !== written.files) throw new Error(`The first index run indexed ${first.summary.indexed} of ${written.files} notes.`);
  if (first.reads < written.files) throw new Error(`The read counter saw ${first.reads} reads while ${written.files} notes were indexed: it does not work.`);
  ctx.log(`indexed ${written.files} notes in ${(first.summary.ms / 1000).toFixed(1)} s`);

  // Timed runs go without the counter, so they are exactly what a user runs.
  const runs: Array<{ ms: number; summary: IndexSummary }> = [];
  for (let run = 0; run < config.repeat; run++) {
    const { json, ms } = await runCliJson<IndexSummary>(["index", notes, "--db", dbPath, "--json"]);
    runs.push({ ms, summary: json });
  }
  const again = await countedIndex(notes, dbPath, log);
  const wallMs = median(runs.map((r) => r.ms));
  const worst = runs.reduce((a, b) => (b.summary.unchanged < a.summary.unchanged || b.summary.indexed > a.summary.indexed ? b : a));
  ctx.log(`restart: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(", ")} s; ${again.reads} notes re-read`);
  const label = `${count(written.files)} files`;
  return {
    rows: [
      { what: `restart, nothing changed, ${label}: process wall time`, value: wallMs / 1000, unit: "s", digits: 2, target: { op: "<=", value: 1.5 } },
      { what: `restart, nothing changed, ${label}: files re-read`, value: again.reads, unit: "", digits: 0, target: { op: "==", value: 0 } },
      { what: `restart, nothing changed, ${label}: files re-indexed`, value: Math.max(worst.summary.indexed, again.summary.indexed), unit: "", digits: 0, target: { op: "==", value: 0 } },
      { what: `restart, nothing changed, ${label}: reported unchanged`, value: Math.min(worst.summary.unchanged, again.summary.unchanged), unit: "", digits: 0, target: { op: "==", value: written.files } },
    ],
    details: {
      files: written.files,
      bytes: written.bytes,
      firstIndexMs: first.summary.ms,
      firstIndexReads: first.reads,
      restartWallMs: runs.map((r) => round(r.ms)),
      restartLibraryMs: runs.map((r) => r.summary.ms),
      restartSummaries: runs.map((r) => ({ files: r.summary.files, indexed: r.summary.indexed, unchanged: r.summary.unchanged })),
      countedRestart: { reads: again.reads, indexed: again.summary.indexed, unchanged: again.summary.unchanged },
    },
  };
}
