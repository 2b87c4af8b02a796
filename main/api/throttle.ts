/**
 * Passes on at most one update per interval, but always the ones `urgent` picks (a new phase,
 * the end): a progress bar needs the latest value a few times a second, not one per file or chunk.
 */
export function throttle<T>(send: (value: T) => void, intervalMs: number, urgent: (value: T) => boolean = () => false): (value: T) => void {
  let last = -Infinity;
  return (value) => {
    const now = performance.now();
    if (!urgent(value) && now - last < intervalMs) return;
    last = now;
    send(value);
  };
}
