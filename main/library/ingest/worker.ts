import { createHash } from "node:crypto";
import type { DocumentFormat } from "../../../shared/library.js";
import { LINK_OUTSIDE, readInside } from "../read-inside.js";
import { decodeText } from "./decode.js";
import { documentText, parseDocument, type ParsedChunk } from "./parse.js";

export interface IngestTask {
  path: string;
  /** The library folder it belongs to: a file whose real path is not inside it is never read. */
  folder: string;
  format: DocumentFormat;
  maxBytes: number;
  /** The hash stored for this path: content with the same hash is not parsed again. */
  knownHash: string | null;
}

export type IngestResult =
  | { kind: "document"; hash: string; size: number; title: string; indexTitle: string; chunks: ParsedChunk[] }
  | { kind: "same"; hash: string; size: number }
  | { kind: "skipped"; hash: string | null; size: number; reason: string }
  | { kind: "gone" }
  | { kind: "failed"; error: string };

/** Runs on a worker thread: read, hash, decode, convert, chunk and stem one file. */
export default async function ingest(task: IngestTask): Promise<IngestResult> {
  let bytes: Buffer;
  try {
    const read = await readInside(task.path, task.folder);
    if (read.kind === "outside") return { kind: "skipped", hash: null, size: 0, reason: LINK_OUTSIDE };
    bytes = read.bytes;
  } catch (error) {
    return readFailure(error);
  }
  // The file may have grown since it was listed.
  if (bytes.length > task.maxBytes) return { kind: "skipped", hash: null, size: bytes.length, reason: tooLarge(bytes.length, task.maxBytes) };
  const hash = createHash("sha256").update(bytes).digest("hex");
  if (hash === task.knownHash) return { kind: "same", hash, size: bytes.length };
  try {
    const parsed = parseDocument(bytes, task.path, task.format);
    if (parsed.kind === "skipped") return { kind: "skipped", hash, size: bytes.length, reason: parsed.reason };
    return { kind: "document", hash, size: bytes.length, title: parsed.title, indexTitle: parsed.indexTitle, chunks: parsed.chunks };
  } catch (error) {
    return { kind: "failed", error: `could not be read as ${task.format}: ${(error as Error).message}` };
  }
}

export interface NoteTextTask {
  path: string;
  folder: string;
  format: DocumentFormat;
  maxBytes: number;
}

export type NoteTextResult = { kind: "note"; title: string; markdown: string } | { kind: "unreadable"; reason: string };

/**
 * Runs on a worker thread: a note as the preview shows it, the very text its chunks were cut from
 * (HTML converted; converting a large page takes seconds). Front matter becomes blank lines, so it
 * is not shown, yet line N here is still line N of the chunks' lineStart/lineEnd.
 */
export async function noteText(task: NoteTextTask): Promise<NoteTextResult> {
  let bytes: Buffer;
  try {
    const read = await readInside(task.path, task.folder);
    if (read.kind === "outside") return { kind: "unreadable", reason: `it is a ${LINK_OUTSIDE}` };
    bytes = read.bytes;
  } catch (error) {
    const failure = readFailure(error);
    return { kind: "unreadable", reason: failure.kind === "failed" ? failure.error : "it is gone" };
  }
  if (bytes.length > task.maxBytes) return { kind: "unreadable", reason: `it is ${tooLarge(bytes.length, task.maxBytes)}` };
  const decoded = decodeText(bytes);
  if (decoded.kind === "binary") return { kind: "unreadable", reason: "it no longer holds text" };
  const { title, body, firstLine } = documentText(decoded.text, task.path, task.format);
  return { kind: "note", title, markdown: "\n".repeat(firstLine - 1) + body };
}

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
