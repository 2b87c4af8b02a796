import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from here whether this runs as test/bench/*.ts or dist/test/bench/*.js. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "sourcebook") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("Cannot find the Sourcebook package.json above the benchmark files.");
    dir = up;
  }
}

export const ROOT = findRoot();
export const CLI = path.join(ROOT, "bin", "sourcebook.js");
export const CORPORA = path.resolve(ROOT, process.env.BENCH_CORPORA ?? "../shared/corpora");
export const RESULTS = path.join(ROOT, "bench", "results");

export const BENCHES = ["quality", "html", "markdown", "smallnotes", "formats", "restart", "watch", "search", "vectors", "llm", "ui"] as const;
/** The benchmarks that bring their own data rather than reading the corpora. */
export const SELF_CONTAINED: readonly BenchName[] = ["llm", "ui"];
export type BenchName = (typeof BENCHES)[number];

export interface Config {
  /** Size of the generated Markdown corpus, in MB (10^6 bytes). */
  markdownMb: number;
  searchChunks: number;
  searchQueries: number;
  watchNotes: number;
  watchSaves: number;
  restartFiles: number;
  /** Runs of each throughput measurement; the median is reported. */
  repeat: number;
  /** Ingest worker threads; undefined leaves the library's default (one per core). */
  threads: number | undefined;
  only: BenchName[];
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}".`);
  return n;
}

export function loadConfig(): Config {
  const only = (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !(BENCHES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`BENCH_ONLY names unknown benchmarks: ${unknown.join(", ")} (known: ${BENCHES.join(", ")}).`);
  return {
    markdownMb: intEnv("BENCH_MARKDOWN_MB", 30),
    searchChunks: intEnv("BENCH_SEARCH_CHUNKS", 100_000),
    searchQueries: intEnv("BENCH_SEARCH_QUERIES", 500),
    watchNotes: intEnv("BENCH_WATCH_NOTES", 1500),
    watchSaves: intEnv("BENCH_WATCH_SAVES", 30),
    restartFiles: intEnv("BENCH_RESTART_FILES", 10_000),
    repeat: intEnv("BENCH_REPEAT", 3),
    threads: process.env.BENCH_THREADS ? intEnv("BENCH_THREADS", 1) : undefined,
    only: only.length ? (only as BenchName[]) : [...BENCHES],
  };
}
