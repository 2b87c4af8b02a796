import watcher from "@parcel/watcher";

export interface WatchOptions {
  /** Quiet time after the last event before a batch is indexed: editors write in bursts. */
  debounceMs?: number;
  /** The longest a busy folder's events wait before a batch is indexed anyway. */
  maxWaitMs?: number;
  onBatch: (paths: string[]) => Promise<void>;
  onError?: (error: Error) => void;
}

// Passed to the native watcher so it does not even watch these trees; the library's own rules
// (defaults plus each folder's patterns) still decide what gets indexed.
const NATIVE_IGNORES = ["**/.*", "**/node_modules"];

/**
 * Watches folders recursively and hands their changed paths over in debounced batches, one
 * batch at a time. Renames and atomic saves arrive as deletes and creates of paths; the
 * library re-checks each path on disk, so the order of events within a batch does not matter.
 */
export class FolderWatcher {
  private readonly subscriptions = new Map<string, watcher.AsyncSubscription>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: WatchOptions) {}

  async add(folder: string): Promise<void> {
    if (this.closed || this.subscriptions.has(folder)) return;
    const subscription = await watcher.subscribe(
      folder,
      (error, events) => {
        if (error) this.options.onError?.(error);
        else for (const event of events) this.enqueue(event.path);
      },
      { ignore: NATIVE_IGNORES },
    );
    this.subscriptions.set(folder, subscription);
  }

  async remove(folder: string): Promise<void> {
    const subscription = this.subscriptions.get(folder);
    this.subscriptions.delete(folder);
    // On Linux, a watched sub-folder that was moved and then deleted makes unsubscribe fail with
    // "Unable to remove watcher: Invalid argument" (parcel-bundler/watcher#129). The kernel has
    // already dropped that watch, so there is nothing left to release.
    await subscription?.unsubscribe().catch(() => undefined);
  }

  /** Resolves once every change seen so far has been indexed. */
  async idle(): Promise<void> {
    while (this.pending.size || this.timer) {
      this.fire();
      await this.running;
    }
    await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    await Promise.all([...this.subscriptions.keys()].map((folder) => this.remove(folder)));
    await this.running;
  }

  private enqueue(path: string): void {
    if (this.closed) return;
    if (!this.pending.size) this.firstPendingAt = Date.now();
    this.pending.add(path);
    clearTimeout(this.timer);
    const waited = Date.now() - this.firstPendingAt;
    const delay = Math.min(this.options.debounceMs ?? 40, Math.max(0, (this.options.maxWaitMs ?? 500) - waited));
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending = new Set();
    this.running = this.running.then(() =>
      this.options.onBatch(batch).catch((error: unknown) => this.options.onError?.(error as Error)),
    );
  }
}
