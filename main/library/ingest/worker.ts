import { createHash } from "node:crypto";
import fs from "node:fs";
import type { DocumentFormat } from "../../../shared/library.js";
import { LINK_OUTSIDE, readInside, readInsideSync } from "../read-inside.js";
import { extractDocument, parseDocument } from "./parse.js";
import { renderPdfPage } from "./pdf.js";
import { readFailure, tooLarge, type IngestResult } from "./read-result.js";

export type { IngestResult } from "./read-result.js";

export interface IngestTask {
  path: string;
  /** The library folder it belongs to: a file whose real path is not inside it is never read. */
  folder: string;
  format: DocumentFormat;
  maxBytes: number;
  /** The hash stored for this path: content with the same hash is not parsed again. */
  knownHash: string | null;
}

/** Files read one after another by one worker, answered in one message: one per file cost more than reading them. */
export interface IngestBatch {
  files: IngestTask[];
}

/**
 * Runs on a worker thread: read, hash, decode, convert, chunk and stem each file of a batch. Reads are
 * synchronous: a worker has nothing else to do meanwhile, and each asynchronous call would wait its
 * turn in libuv's thread pool, which every worker shares.
 */
export default function ingest(batch: IngestBatch): Promise<IngestResult[]> {
  // A worker holds a few batches (so that it has work while the main thread commits), but reads them
  // one at a time: each answer then comes as soon as it can, not all four together at the end.
  const run = queue.then(() => ingestBatch(batch));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

async function ingestBatch(batch: IngestBatch): Promise<IngestResult[]> {
  const roots = new Map<string, string>();
  const results: IngestResult[] = [];
  for (const task of batch.files) results.push(await ingestFile(task, roots));
  return results;
}

async function ingestFile(task: IngestTask, roots: Map<string, string>): Promise<IngestResult> {
  let bytes: Buffer;
  try {
    let root = roots.get(task.folder);
    if (root === undefined) roots.set(task.folder, (root = fs.realpathSync.native(task.folder)));
    const read = readInsideSync(task.path, root);
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
    const parsed = await parseDocument(bytes, task.path, task.format);
    if (parsed.kind === "skipped") return { kind: "skipped", hash, size: bytes.length, reason: parsed.reason };
    return { kind: "document", hash, size: bytes.length, title: parsed.title, indexTitle: parsed.indexTitle, tags: parsed.tags, chunks: parsed.chunks };
  } catch (error) {
    return { kind: "failed", error: `could not be read as ${task.format}: ${(error as Error).message}` };
  }
}

/** A library file read for the preview, inside its folder by real path and within its size limit. */
async function readForPreview(task: { path: string; folder: string; maxBytes: number }): Promise<{ kind: "bytes"; bytes: Buffer } | { kind: "unreadable"; reason: string }> {
  try {
    const read = await readInside(task.path, task.folder);
    if (read.kind === "outside") return { kind: "unreadable", reason: `it is a ${LINK_OUTSIDE}` };
    if (read.bytes.length > task.maxBytes) return { kind: "unreadable", reason: `it is ${tooLarge(read.bytes.length, task.maxBytes)}` };
    return { kind: "bytes", bytes: read.bytes };
  } catch (error) {
    const failure = readFailure(error);
    return { kind: "unreadable", reason: failure.kind === "failed" ? failure.error : "it is gone" };
  }
}

export interface NoteTextTask {
  path: string;
  folder: string;
  format: DocumentFormat;
  maxBytes: number;
}

export type NoteTextResult =
  | {
      kind: "note";
      title: string;
      markdown: string;
      /** For a PDF: the line where each page starts, page 1 first. */
      pages?: number[];
    }
  | { kind: "unreadable"; reason: string };

/**
 * Runs on a worker thread: a note as the preview shows it, the very text its chunks were cut from
 * (HTML, DOCX and EPUB converted, a PDF's text extracted; converting a large one takes seconds). Front
 * matter becomes blank lines, so it is not shown, yet line N here is still line N of the chunks'
 * lineStart/lineEnd. Markdown comes as written, Obsidian's syntax included, for the preview to render.
 */
export async function noteText(task: NoteTextTask): Promise<NoteTextResult> {
  const read = await readForPreview(task);
  if (read.kind === "unreadable") return read;
  const { bytes } = read;
  let doc;
  try {
    doc = await extractDocument(bytes, task.path, task.format);
  } catch (error) {
    return { kind: "unreadable", reason: `it could not be read as ${task.format}: ${(error as Error).message}` };
  }
  if (doc.kind === "skipped") return { kind: "unreadable", reason: doc.reason === "binary content, not text" ? "it no longer holds text" : doc.reason };
  const note = { kind: "note" as const, title: doc.title, markdown: "\n".repeat(doc.firstLine - 1) + doc.body };
  return doc.pageLines ? { ...note, pages: doc.pageLines } : note;
}

export interface PageImageTask {
  path: string;
  folder: string;
  maxBytes: number;
  page: number;
  width: number;
}

export type PageImageResult =
  | { kind: "image"; png: Uint8Array; width: number; height: number; pages: number }
  | { kind: "unreadable"; reason: string };

/** Runs on a worker thread: one page of a PDF in the library, drawn for the preview. */
export async function pageImage(task: PageImageTask): Promise<PageImageResult> {
  const read = await readForPreview(task);
  if (read.kind === "unreadable") return read;
  try {
    const image = await renderPdfPage(read.bytes, task.page, task.width);
    return { kind: "image", ...image };
  } catch (error) {
    return { kind: "unreadable", reason: `its page ${task.page} could not be drawn: ${(error as Error).message}` };
  }
}
