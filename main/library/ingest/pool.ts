import os from "node:os";
import { Piscina } from "piscina";
import type { IngestResult, IngestTask, NoteTextResult, NoteTextTask } from "./worker.js";

export interface IngestPool {
  run(task: IngestTask): Promise<IngestResult>;
  noteText(task: NoteTextTask): Promise<NoteTextResult>;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * A worker pool sized to the cores, so heavy parsing never blocks the main thread. Under the
 * test runner this module is TypeScript, and so is its worker: it then loads through tsx.
 */
export function createIngestPool(threads = os.availableParallelism()): IngestPool {
  const fromSource = import.meta.url.endsWith(".ts");
  const piscina = new Piscina<IngestTask | NoteTextTask, IngestResult | NoteTextResult>({
    filename: new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Each worker keeps a few tasks of its own: while the main thread commits a batch, it cannot
    // hand out work, and one task per worker left both cores idle for a third of a run.
    concurrentTasksPerWorker: 4,
    idleTimeout: 30_000,
    // Deeply nested HTML makes turndown recurse; a larger stack converts it instead of falling back.
    resourceLimits: { stackSizeMb: 16 },
    ...(fromSource ? { execArgv: ["--import", "tsx"] } : {}),
  });
  return {
    threads,
    run: (task) => piscina.run(task) as Promise<IngestResult>,
    noteText: (task) => piscina.run(task, { name: "noteText" }) as Promise<NoteTextResult>,
    close: () => piscina.destroy(),
  };
}
