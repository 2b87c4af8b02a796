import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The built CLI, as `npx sourcebook` runs it (the test script builds it first). */
export const CLI = path.join(ROOT, "bin", "sourcebook.js");

const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    // Tests make unreadable files on purpose; give them back so the folder can be removed.
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh temp folder, removed after the test file. */
export function tempDir(prefix = "sourcebook-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes files (string or bytes) under root, creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A CLI run: its result once it has exited, and meanwhile its process, to watch or signal. */
export type CliRun = Promise<CliResult> & { child: ChildProcess };

/** Runs the real `sourcebook` command in a child process. */
export function runCli(args: string[], options: SpawnOptions & { input?: string } = {}): CliRun {
  return run(process.execPath, [CLI, ...args], options);
}

/** The clone's owner, who can reach the CLI's own files wherever the clone lives. */
export const CLONE_OWNER: { uid: number; gid: number } = (({ uid, gid }) => ({ uid, gid }))(fs.statSync(ROOT));

/** The capabilities that let root read a file or enter a folder whatever its mode. */
const MODE_OVERRIDES = "-dac_override,-dac_read_search";

/**
 * Why the CLI cannot be run bound by file modes here, or undefined when it can: as root, every
 * file is readable, so runCliBoundByModes drops root's rights with util-linux's setpriv.
 */
export function boundByModesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const probe = spawnSync("setpriv", [`--bounding-set=${MODE_OVERRIDES}`, "--", process.execPath, "-e", ""]);
  if (probe.error) return `setpriv (util-linux) is needed to run the CLI as root without root's right to read any file: ${probe.error.message}`;
  if (probe.status !== 0) return `setpriv cannot drop root's right to read any file here: ${probe.stderr.toString().trim()}`;
  return undefined;
}

/**
 * Runs the CLI so that file modes bind it, for tests of unreadable files. Where this process is
 * root, the child runs as the clone's owner without the capabilities that override modes, rather
 * than as a user such as nobody, who cannot reach the CLI under a mode-700 folder. Folders the
 * child must write to should belong to CLONE_OWNER.
 */
export function runCliBoundByModes(args: string[], options: SpawnOptions & { input?: string } = {}): CliRun {
  if (process.getuid?.() !== 0) return runCli(args, options);
  const { uid, gid } = CLONE_OWNER;
  const drop = [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", `--inh-caps=${MODE_OVERRIDES}`, `--bounding-set=${MODE_OVERRIDES}`];
  return run("setpriv", [...drop, "--", process.execPath, CLI, ...args], options);
}

function run(command: string, argv: string[], options: SpawnOptions & { input?: string }): CliRun {
  const child = spawn(command, argv, { ...options, stdio: ["pipe", "pipe", "pipe"] });
  const result = new Promise<CliResult>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin!.end(options.input ?? "");
  });
  return Object.assign(result, { child });
}

/** Polls until check() is truthy, for things that happen asynchronously (watcher events). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
