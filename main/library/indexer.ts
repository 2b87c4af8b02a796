import path from "node:path";
import type { IndexProgress, LibraryChange } from "../../shared/library.js";
import type { IngestPool } from "./ingest/pool.js";
import { tooLarge, type IngestResult } from "./ingest/read-result.js";
import type { IngestTask } from "./ingest/worker.js";
import type { ScannedFile } from "./scan.js";
import type { DocumentRow, SourceRow, Store } from "./store.js";

export type Work =
  | { kind: "file"; source: SourceRow; file: ScannedFile; known: DocumentRow | undefined }
  | { kind: "failed"; source: SourceRow; file: Omit<ScannedFile, "size" | "mtimeMs">; error: string }
  | { kind: "skipped"; source: SourceRow; file: Omit<ScannedFile, "size" | "mtimeMs">; reason: string }
  | { kind: "remove"; path: string };

export interface IndexerOptions {
  onProgress?: (progress: IndexProgress) => void;
  /**
   * Stops the run: no more files are handed out, what was read is committed, and run() rejects with
   * the abort's reason. Files not read keep their old state, so the next run reads them.
   */
  signal?: AbortSignal;
  /** How long one file may take to read before its worker is stopped (READ_LIMIT_MS by default). */
  readLimitMs?: number;
}

/**
 * A file read on its own (a PDF, Word file or EPUB, a large one) that takes longer than this, twice,
 * has its worker stopped, and fails. pdf.js's own limit (pdf.ts) is checked between pages only; this
 * one also ends a page that would never finish. The slowest real file measured, a 2,000-page PDF, took 2 s.
 */
const READ_LIMIT_MS = 5 * 60_000;

// Writes are grouped into transactions: one commit per file would cost more than the parsing.
const FLUSH_FILES = 200;
const FLUSH_BYTES = 8 * 1024 * 1024;

type FileWork = Extract<Work, { kind: "file" }>;

/**
 * Small files go to the workers in batches: one message per file cost the main thread more than its
 * writes. A batch holds up to BATCH_FILES files or BATCH_BYTES bytes; a large file, and a PDF, Word
 * document or EPUB (seconds of work each), goes alone, so it never holds small notes back.
 */
const BATCH_FILES = 32;
const BATCH_BYTES = 512 * 1024;
const ALONE: ReadonlySet<string> = new Set(["pdf", "docx", "epub"]);
/** Batches handed out per worker thread: its own queue (see pool.ts) and one more waiting. */
const IN_FLIGHT_PER_THREAD = 5;

function batchesOf(files: FileWork[]): FileWork[][] {
  const batches: FileWork[][] = [];
  let current: FileWork[] = [];
  let bytes = 0;
  for (const item of files) {
    if (ALONE.has(item.file.format) || item.file.size >= BATCH_BYTES) {
      batches.push([item]);
      continue;
    }
    if (current.length >= BATCH_FILES || bytes + item.file.size > BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.file.size;
  }
  if (current.length) batches.push(current);
  return batches;
}

function taskOf(item: FileWork): IngestTask {
  return {
    path: item.file.path,
    folder: item.source.path,
    format: item.file.format,
    maxBytes: item.source.maxFileBytes,
    knownHash: item.known?.status === "indexed" ? item.known.hash : null,
  };
}

/** A size and mtime that match what was indexed mean the file is not read again. */
function isUnchanged(file: ScannedFile, known: DocumentRow | undefined): boolean {
  return !!known && known.hash !== null && known.status !== "failed" && known.size === file.size && known.mtimeMs === file.mtimeMs;
}

/**
 * Brings the index in line with a list of work: reads changed files on the worker pool and
 * writes each file's rows and index entries together, so a crash never leaves them apart.
 */
export class Indexer {
  constructor(
    private readonly store: Store,
    private readonly pool: () => IngestPool,
  ) {}

  async run(work: Work[], options: IndexerOptions = {}): Promise<LibraryChange[]> {
    const changes: LibraryChange[] = [];
    const progress: IndexProgress = {
      phase: "indexing",
      filesDone: 0,
      filesTotal: work.filter((w) => w.kind !== "remove").length,
      bytesDone: 0,
      bytesTotal: work.reduce((sum, w) => sum + (w.kind === "file" ? w.file.size : 0), 0),
    };
    let pending: Array<() => void> = [];
    let pendingBytes = 0;
    const flush = () => {
      if (!pending.length) return;
      const writes = pending;
      pending = [];
      pendingBytes = 0;
      this.store.transaction(() => writes.forEach((write) => write()));
      options.onProgress?.({ ...progress });
    };
    const queueWrite = (write: () => void, bytes: number) => {
      pending.push(write);
      pendingBytes += bytes;
      if (pending.length >= FLUSH_FILES || pendingBytes >= FLUSH_BYTES) flush();
    };
    const done = (bytes: number) => {
      progress.filesDone++;
      progress.bytesDone += bytes;
    };

    options.onProgress?.({ ...progress });
    const toRead: FileWork[] = [];
    for (const item of work) {
      if (item.kind === "remove") {
        queueWrite(() => {
          if (this.store.deletePath(item.path, path.sep) > 0) changes.push({ type: "removed", path: item.path });
        }, 0);
      } else if (item.kind === "failed") {
        const { file, source } = item;
        queueWrite(() => this.store.writeState({ sourceId: source.id, ...file, size: 0, mtimeMs: 0, hash: null, status: "failed", reason: item.error }), 0);
        changes.push({ type: "failed", path: file.path, detail: item.error });
        done(0);
      } else if (item.kind === "skipped") {
        const { file, source } = item;
        queueWrite(() => this.store.writeState({ sourceId: source.id, ...file, size: 0, mtimeMs: 0, hash: null, status: "skipped", reason: item.reason }), 0);
        changes.push({ type: "skipped", path: file.path, detail: item.reason });
        done(0);
      } else if (isUnchanged(item.file, item.known)) {
        changes.push({ type: "unchanged", path: item.file.path });
        done(item.file.size);
      } else if (item.file.size > item.source.maxFileBytes) {
        const reason = tooLarge(item.file.size, item.source.maxFileBytes);
        queueWrite(() => this.store.writeState({ sourceId: item.source.id, ...item.file, hash: null, status: "skipped", reason }), 0);
        changes.push({ type: "skipped", path: item.file.path, detail: reason });
        done(item.file.size);
      } else {
        toRead.push(item);
      }
    }

    const { signal } = options;
    const pool = toRead.length ? this.pool() : undefined;
    const batches = batchesOf(toRead);
    let next = 0;
    const worker = async () => {
      while (next < batches.length && !signal?.aborted) {
        const batch = batches[next++]!;
        // Files already handed to the pool are finished: aborting a piscina task would end its worker,
        // and with it the other tasks that worker holds.
        const results = await this.read(pool!, batch, options.readLimitMs ?? READ_LIMIT_MS);
        batch.forEach((item, i) => {
          this.apply(item, results[i]!, changes, queueWrite);
          done(item.file.size);
        });
        if (!pending.length) options.onProgress?.({ ...progress });
      }
    };
    // Enough batches in flight that every worker's own queue stays full while the main thread writes.
    await Promise.all(Array.from({ length: pool ? pool.threads * IN_FLIGHT_PER_THREAD : 0 }, worker));
    flush();
    signal?.throwIfAborted();
    options.onProgress?.({ ...progress, phase: "done" });
    return changes;
  }

  /**
   * A batch's results. A worker that dies reading one (out of memory, say, or stopped at a file's
   * deadline) takes its batches with it: their files are then read one at a time, so only the one
   * that did it fails.
   */
  private async read(pool: IngestPool, batch: FileWork[], limitMs: number, retried = false): Promise<IngestResult[]> {
    const deadline = batch.length === 1 ? AbortSignal.timeout(limitMs) : undefined;
    try {
      return await pool.run({ files: batch.map(taskOf) }, deadline);
    } catch (error) {
      // A file alone may have gone down with another one's worker, or waited behind it past its own
      // deadline (which runs from when it was handed out): it is read once more before it fails.
      if (batch.length === 1 && retried) {
        const reason = deadline?.aborted
          ? `it took more than ${limitMs >= 1000 ? `${Math.round(limitMs / 1000)} s` : `${limitMs} ms`} to read, and was stopped`
          : `reading it stopped the reader: ${(error as Error).message}`;
        return [{ kind: "failed", error: reason }];
      }
      return Promise.all(batch.map((item) => this.read(pool, [item], limitMs, true).then((r) => r[0]!)));
    }
  }

  private apply(
    item: FileWork,
    result: IngestResult,
    changes: LibraryChange[],
    queueWrite: (write: () => void, bytes: number) => void,
  ): void {
    const { file, source, known } = item;
    const facts = { sourceId: source.id, path: file.path, format: file.format, mtimeMs: file.mtimeMs };
    switch (result.kind) {
      case "document":
        queueWrite(
          () => this.store.writeDocument({ ...facts, size: result.size, hash: result.hash, title: result.title, indexTitle: result.indexTitle, tags: result.tags, chunks: result.chunks }),
          result.size,
        );
        changes.push({ type: "indexed", path: file.path, detail: result.chunks.length === 1 ? "1 chunk" : `${result.chunks.length} chunks` });
        return;
      case "same":
        queueWrite(() => this.store.touch(known!.id, result.size, file.mtimeMs), 0);
        changes.push({ type: "unchanged", path: file.path });
        return;
      case "skipped":
        queueWrite(() => this.store.writeState({ ...facts, size: result.size, hash: result.hash, status: "skipped", reason: result.reason }), 0);
        changes.push({ type: "skipped", path: file.path, detail: result.reason });
        return;
      case "failed":
        queueWrite(() => this.store.writeState({ ...facts, size: file.size, hash: null, status: "failed", reason: result.error }), 0);
        changes.push({ type: "failed", path: file.path, detail: result.error });
        return;
      case "gone":
        // Deleted between listing and reading: the file simply no longer exists.
        queueWrite(() => {
          if (this.store.deletePath(file.path, path.sep) > 0) changes.push({ type: "removed", path: file.path });
        }, 0);
        return;
    }
  }
}
