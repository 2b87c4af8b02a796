import fs from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { defaultDbPath } from "../paths.js";

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
export type ParsedArgs = ReturnType<typeof parse>;

export function parse<T extends OptionSpec>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number, not "${value}".`);
  return n;
}

export const DB_OPTION = { db: { type: "string" } } as const;
export const JSON_OPTION = { json: { type: "boolean" } } as const;
/** Where a model comes from: a GGUF file, or an OpenAI-compatible endpoint with its key and model name. */
export const MODEL_SOURCE_OPTIONS = {
  model: { type: "string" },
  endpoint: { type: "string" },
  "api-key": { type: "string" },
  "model-name": { type: "string" },
} as const;

/** Whether the library main() would open is there, for a command that only needs one if it exists. */
export function libraryExists(db: string | undefined): boolean {
  return fs.existsSync(path.resolve(db ?? defaultDbPath()));
}
