import { randomUUID } from "node:crypto";

interface Job {
  owner: number | undefined;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Work that outlives the call that started it (an answer streaming, a download, indexing), each
 * with an id, an owner (the window that asked, if any) and an abort signal. close() aborts what is
 * running and waits for it, so nothing writes to a closed database.
 */
export class Jobs {
  private readonly running = new Map<string, Job>();

  /**
   * The job starts after the current call has answered, so the caller knows the id before the
   * job's first event (a refusal can be complete within the same tick). It reports its own outcome
   * through events; an error it lets escape is a bug, logged here, unless it is the job's own abort.
   */
  start(owner: number | undefined, job: (signal: AbortSignal, id: string) => Promise<void>): string {
    const id = randomUUID();
    const controller = new AbortController();
    const done = new Promise((resolve) => setImmediate(resolve))
      .then(() => job(controller.signal, id))
      .catch((error: unknown) => {
        if (!(controller.signal.aborted && isAbort(error))) console.error(error);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, { owner, controller, done });
    return id;
  }

  /** Aborts a job; a job that has finished, or that belongs to another window, is left alone. */
  cancel(id: string, owner?: number): void {
    const job = this.running.get(id);
    if (job && (owner === undefined || job.owner === owner)) job.controller.abort();
  }

  cancelOwner(owner: number): void {
    for (const job of this.running.values()) if (job.owner === owner) job.controller.abort();
  }

  async close(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.done));
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
