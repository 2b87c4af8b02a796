import { spawn } from "node:child_process";
import os from "node:os";
import { CLI, ROOT } from "./config.js";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Throughput in MB/s, where a MB is 10^6 bytes (as the targets were stated). */
export const mbPerS = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

/** Nearest-rank percentile: the value that p% of the samples are at or below. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 10000 → "10k", 1500 → "1.5k", 500 → "500", for labels. */
export const count = (n: number) => (n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n));

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawning the process until it exited and closed its output. */
  ms: number;
}

/** Runs the real `sourcebook` command as a user would, in a fresh Node process. */
export function runCli(args: string[], options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** Runs the CLI and parses its --json output, failing loudly on a non-zero exit. */
export async function runCliJson<T>(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<{ json: T; ms: number }> {
  const run = await runCli(args, options);
  if (run.code !== 0) throw new Error(`sourcebook ${args[0]} exited with ${run.code}: ${run.stderr.trim().slice(0, 500)}`);
  return { json: JSON.parse(run.stdout) as T, ms: run.ms };
}

/**
 * The share of all cores' time that went to other work while this process sat waiting for `ms`
 * (the load average would count the benchmarks' own work too).
 */
export async function busyShare(ms = 500): Promise<number> {
  const sum = () => os.cpus().reduce((acc, cpu) => ({ idle: acc.idle + cpu.times.idle, total: acc.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const before = sum();
  const ownBefore = process.cpuUsage();
  await sleep(ms);
  const after = sum();
  const own = process.cpuUsage(ownBefore);
  const total = after.total - before.total;
  const othersBusy = after.total - after.idle - (before.total - before.idle) - (own.user + own.system) / 1000;
  return total > 0 ? Math.max(0, othersBusy / total) : 0;
}
