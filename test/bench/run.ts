/*
 * `npm run bench`: the knowledge library's performance and quality targets, measured on the
 * real code in dist/ against the corpora in ../shared/corpora. Sizes come from the environment:
 * BENCH_ONLY=quality,html,markdown,smallnotes,formats,restart,watch,search,llm,ui  BENCH_REPEAT=3  BENCH_MARKDOWN_MB=30
 * BENCH_SEARCH_CHUNKS=100000  BENCH_SEARCH_QUERIES=500  BENCH_WATCH_NOTES=1500  BENCH_WATCH_SAVES=30
 * BENCH_RESTART_FILES=10000  BENCH_VECTOR_CHUNKS=100000  BENCH_THREADS (default: one per core)  BENCH_CORPORA  BENCH_STRICT=1
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CORPORA, loadConfig, SELF_CONTAINED, type BenchName, type Config } from "./config.js";
import { missingCorpora } from "./corpora.js";
import { busyShare, round } from "./measure.js";
import { htmlBench, markdownBench } from "./ingest.js";
import { llmBench } from "./llm.js";
import { qualityBench } from "./quality.js";
import { formatTable, passes, writeResults, type BenchContext, type BenchOutput, type Row } from "./report.js";
import { restartBench } from "./restart.js";
import { searchBench } from "./search.js";
import { uiBench } from "./ui.js";
import { vectorsBench } from "./vectors.js";
import { formatsBench, smallNotesBench } from "./formats.js";
import { watchBench } from "./watch.js";

const RUNNERS: Record<BenchName, (ctx: BenchContext) => Promise<BenchOutput>> = {
  quality: qualityBench,
  html: htmlBench,
  markdown: markdownBench,
  restart: restartBench,
  watch: watchBench,
  search: searchBench,
  vectors: vectorsBench,
  smallnotes: smallNotesBench,
  formats: formatsBench,
  llm: llmBench,
  ui: uiBench,
};

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(`Cannot run the benchmarks: ${(error as Error).message}`);
  process.exit(1);
}
const missing = config.only.every((name) => SELF_CONTAINED.includes(name)) ? [] : missingCorpora();
if (missing.length) {
  console.error(
    `Cannot run the benchmarks: the corpora are not at ${CORPORA} (../shared/corpora from the repository root).\n` +
      `Missing:\n${missing.map((p) => `  ${p}`).join("\n")}\n` +
      "Set BENCH_CORPORA to their folder if they live elsewhere.",
  );
  process.exit(1);
}
const startedAt = new Date();
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sourcebook-bench-"));
const cleanUp = () => fs.rmSync(tmpRoot, { recursive: true, force: true });
process.once("SIGINT", () => {
  cleanUp();
  process.exit(130);
});

const elapsed = () => `${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s`;
const rows: Row[] = [];
const details: Record<string, unknown> = {};
const errors: Array<{ bench: string; message: string }> = [];
const busyBefore: Record<string, number> = {};
console.log(`Sourcebook benchmarks: ${config.only.join(", ")} (temp data in ${tmpRoot})`);
try {
  for (const name of config.only) {
    const tmp = path.join(tmpRoot, name);
    fs.mkdirSync(tmp);
    const log = (message: string) => console.log(`${elapsed()}  [${name}] ${message}`);
    // Other work on this 2-core machine skews every timing: say so next to the numbers.
    const busy = (busyBefore[name] = round(await busyShare(), 2));
    log(`starting${busy > 0.1 ? ` (warning: other programs are using ${Math.round(busy * 100)}% of the CPU; timings will come out low)` : ""}`);
    try {
      const output = await RUNNERS[name]({ tmp, config, log });
      rows.push(...output.rows);
      details[name] = output.details;
    } catch (error) {
      // One broken benchmark must not hide the others' numbers.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ bench: name, message });
      log(`FAILED: ${message}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
} finally {
  cleanUp();
}

console.log(`\n${formatTable(rows)}\n`);
const file = writeResults({ startedAt, busyBefore, config, rows, details, errors });
const missed = rows.filter((row) => passes(row) === false);
const targeted = rows.filter((row) => passes(row) !== undefined);
console.log(`${targeted.length - missed.length} of ${targeted.length} targets met${errors.length ? `; ${errors.length} benchmark(s) failed to run` : ""}. Took ${elapsed().trim()}.`);
console.log(`Results: ${path.relative(process.cwd(), file)} (and bench/results/latest.json)`);
// A missed target is a finding, not a broken run; BENCH_STRICT=1 makes it fail the command too.
process.exitCode = errors.length || (process.env.BENCH_STRICT === "1" && missed.length) ? 1 : 0;
