// How a read that did not produce a document is reported, shared by the workers and the main
// thread. Kept apart from worker.ts, so the main thread never loads the parsers to say it.
import type { ParsedChunk } from "./parse.js";

export type IngestResult =
  | { kind: "document"; hash: string; size: number; title: string; indexTitle: string; tags: string[]; chunks: ParsedChunk[] }
  | { kind: "same"; hash: string; size: number }
  | { kind: "skipped"; hash: string | null; size: number; reason: string }
  | { kind: "gone" }
  | { kind: "failed"; error: string };

export function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `too large (${mb(size)}; the limit is ${mb(maxBytes)})`;
}

export function readFailure(error: unknown): IngestResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return { kind: "gone" };
  if (code === "EACCES" || code === "EPERM") return { kind: "failed", error: "permission denied" };
  if (code === "ELOOP") return { kind: "failed", error: "symbolic link loop" };
  if (code === "EISDIR") return { kind: "failed", error: "is a folder, not a file" };
  return { kind: "failed", error: (error as Error).message };
}
