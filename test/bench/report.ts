import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "./config.js";
import { RESULTS, ROOT } from "./config.js";

export interface Target {
  op: ">=" | "<=" | "==";
  value: number;
}

/** One line of the results table. A row without a target is a baseline or context figure. */
export interface Row {
  what: string;
  value: number;
  unit: string;
  digits: number;
  target?: Target;
}

export interface BenchOutput {
  rows: Row[];
  /** Everything else worth keeping in the JSON file: raw samples, sizes, sanity checks. */
  details: Record<string, unknown>;
}

export function passes(row: Row): boolean | undefined {
  if (!row.target) return undefined;
  const { op, value } = row.target;
  if (!Number.isFinite(row.value)) return false;
  if (op === ">=") return row.value >= value;
  if (op === "<=") return row.value <= value;
  return row.value === value;
}

const show = (value: number, digits: number, unit: string) => `${Number.isFinite(value) ? value.toFixed(digits) : String(value)}${unit ? " " + unit : ""}`;

export function formatTable(rows: Row[]): string {
  const cells = rows.map((row) => {
    const pass = passes(row);
    return [
      row.what,
      show(row.value, row.digits, row.unit),
      row.target ? `${row.target.op === "==" ? "=" : row.target.op.replace(">=", "≥").replace("<=", "≤")} ${show(row.target.value, row.digits, row.unit)}` : "—",
      pass === undefined ? "info" : pass ? "pass" : "MISS",
    ];
  });
  const header = ["what", "measured", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty ? `${commit}+dirty` : commit;
  } catch {
    return undefined;
  }
}

export interface RunRecord {
  startedAt: Date;
  /** Per benchmark, the share of CPU time other programs used just before it started. */
  busyBefore: Record<string, number>;
  config: Config;
  rows: Row[];
  details: Record<string, unknown>;
  errors: Array<{ bench: string; message: string }>;
}

/** Writes bench/results/library-<timestamp>.json and a copy as latest.json; returns the first path. */
export function writeResults(run: RunRecord): string {
  const finishedAt = new Date();
  const json = {
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: Math.round((finishedAt.getTime() - run.startedAt.getTime()) / 100) / 10,
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      otherCpuShareBeforeEachBench: run.busyBefore,
    },
    commit: gitCommit(),
    config: run.config,
    results: run.rows.map((row) => ({ ...row, pass: passes(row) ?? null })),
    details: run.details,
    errors: run.errors,
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  const stamp = run.startedAt.toISOString().replace(/[:.]/g, "-");
  const file = path.join(RESULTS, `library-${stamp}.json`);
  const text = JSON.stringify(json, null, 2) + "\n";
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(RESULTS, "latest.json"), text);
  return file;
}

export interface BenchContext {
  /** A fresh temp folder for this benchmark, removed after it. */
  tmp: string;
  config: Config;
  log: (message: string) => void;
}
