import os from "node:os";
import { Piscina } from "piscina";
import type { IngestBatch, IngestResult, NoteTextResult, NoteTextTask, PageImageResult, PageImageTask } from "./worker.js";

export interface IngestPool {
  /** An abort stops the batch's worker (and so the other batches it holds, which fail the same way). */
  run(batch: IngestBatch, signal?: AbortSignal): Promise<IngestResult[]>;
  noteText(task: NoteTextTask): Promise<NoteTextResult>;
  /** An abort stops the worker drawing the page. */
  pageImage(task: PageImageTask, signal: AbortSignal): Promise<PageImageResult>;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * A worker pool sized to the cores, so heavy parsing never blocks the main thread. Under the
 * test runner this module is TypeScript, and so is its worker: it then loads through tsx.
 */
export function createIngestPool(threads = os.availableParallelism()): IngestPool {
  const fromSource = import.meta.url.endsWith(".ts");
  const piscina = new Piscina<IngestBatch | NoteTextTask | PageImageTask, IngestResult[] | NoteTextResult | PageImageResult>({
    filename: new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Each worker keeps a few batches of its own: while the main thread commits, it cannot hand out
    // work, and a worker with none queued would sit idle until it is done.
    concurrentTasksPerWorker: 4,
    idleTimeout: 30_000,
    // Deeply nested HTML makes turndown recurse; a larger stack converts it instead of falling back.
    // A file that needs more than 2 GB of heap to read (pdf.js and mammoth hold whole documents)
    // ends its worker, not the app: that file fails with the reason, and the others are read again.
    resourceLimits: { stackSizeMb: 16, maxOldGenerationSizeMb: 2048 },
    ...(fromSource ? { execArgv: ["--import", "tsx"] } : {}),
  });
  return {
    threads,
    run: (batch, signal) => piscina.run(batch, signal ? { signal } : {}) as Promise<IngestResult[]>,
    noteText: (task) => piscina.run(task, { name: "noteText" }) as Promise<NoteTextResult>,
    pageImage: (task, signal) => piscina.run(task, { name: "pageImage", signal }) as Promise<PageImageResult>,
    close: () => piscina.destroy(),
  };
}
