/**
 * Collects what a stream produces and hands it on at most once per interval: one IPC message per
 * token (or per file the watcher indexed) would flood the renderer with re-renders, while ~30 ms
 * still reads as smooth streaming.
 */
export class DeltaBatcher<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly intervalMs: number,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now; called before a stream's final event, so nothing arrives after it. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const items = this.pending;
    this.pending = [];
    this.send(items);
  }
}
