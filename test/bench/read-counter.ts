import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { fileURLToPath } from "node:url";

/*
 * Preloaded with `node --import` into a CLI run to count which note files it opens. Worker
 * threads inherit the option, so reads on the ingest pool are counted too. An index run can
 * report a file "unchanged" after reading and hashing it, so its summary alone cannot show
 * that nothing was re-read.
 */
const log = process.env.BENCH_READS_LOG;
const under = process.env.BENCH_READS_UNDER;

function record(file: unknown): void {
  if (typeof file !== "string" && !(file instanceof URL)) return; // a descriptor: its open was already counted
  const full = file instanceof URL ? fileURLToPath(file) : file;
  if (full.startsWith(under!)) fs.appendFileSync(log!, full + "\n");
}

function spy<T extends object>(target: T, key: keyof T & string): void {
  const original = target[key] as unknown as (...args: unknown[]) => unknown;
  Object.assign(target, {
    [key](this: unknown, ...args: unknown[]) {
      record(args[0]);
      return original.apply(this, args);
    },
  });
}

if (log && under) {
  for (const key of ["readFile", "readFileSync", "open", "openSync", "createReadStream"] as const) spy(fs, key);
  for (const key of ["readFile", "open"] as const) spy(fs.promises, key);
  // ESM importers of node:fs and node:fs/promises see the patched functions only after this.
  syncBuiltinESMExports();
}
