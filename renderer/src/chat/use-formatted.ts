// Which tree to show for a text: parsed at once when short, on the worker when long (stopped at the
// deadline), or none, with the reason. See markdown-limits.ts for the figures behind the limits.
import type { Root } from "hast";
import { useEffect, useMemo, useRef, useState } from "react";
import { SYNC_CHARS, WORKER_DEADLINE_MS } from "./markdown-limits.js";
import { parseMarkdown, plain, precheck, type Dialect, type Formatted } from "./markdown-tree.js";

/** A long text being parsed: the last tree shown stays meanwhile, and the plain text only if it takes a while. */
export type Shown = Formatted | { kind: "pending"; previous: Root | null; showText: boolean };

/** Before this, a text waiting for the worker shows nothing rather than flashing its raw Markdown. */
const PLACEHOLDER_AFTER_MS = 150;

/**
 * Worker results by text, so that a row mounting again (scrolled back, or stored after streaming)
 * does not wait. Bounded by the characters kept, since a long note's tree takes many times its size.
 */
const CACHE_CHARS = 2 * 1024 * 1024;
const cache = new Map<string, Formatted>();
let cachedChars = 0;
/** The last text that ran past the deadline: a longer stream of the same answer would too. */
let slowPrefix: string | null = null;

function remember(text: string, result: Formatted): void {
  if (result.kind === "plain" && result.reason === "slow") slowPrefix = text;
  if (cache.delete(text)) cachedChars -= text.length;
  cache.set(text, result);
  cachedChars += text.length;
  for (const oldest of cache.keys()) {
    if (cachedChars <= CACHE_CHARS || oldest === text) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
}

/** Results are kept by this key: the text itself, or marked with its dialect when it is not GFM. */
const keyOf = (text: string, dialect: Dialect) => (dialect === "gfm" ? text : `\u0000${dialect}\u0000${text}`);

interface Job {
  text: string;
  dialect: Dialect;
  done(result: Formatted): void;
  cancelled: boolean;
}

const queue: Job[] = [];
let running: Job | null = null;
let worker: Worker | null = null;
let deadline: ReturnType<typeof setTimeout> | undefined;

function finish(result: Formatted): void {
  clearTimeout(deadline);
  const job = running!;
  running = null;
  remember(keyOf(job.text, job.dialect), result);
  job.done(result);
  runNext();
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

function startWorker(): Worker {
  const created = new Worker(new URL("./markdown.worker.ts", import.meta.url), { type: "module" });
  created.addEventListener("message", (event: MessageEvent<Formatted>) => {
    if (created === worker && running) finish(event.data);
  });
  created.addEventListener("error", (event) => {
    event.preventDefault();
    if (created !== worker) return;
    stopWorker();
    if (running) finish(plain("failed"));
  });
  return created;
}

function runNext(): void {
  if (running) return;
  // Only the newest text of a streaming answer matters: the ones it replaced were cancelled.
  let job = queue.shift();
  while (job?.cancelled) job = queue.shift();
  if (!job) return;
  running = job;
  worker ??= startWorker();
  deadline = setTimeout(() => {
    stopWorker();
    finish(plain("slow"));
  }, WORKER_DEADLINE_MS);
  worker.postMessage({ text: job.text, dialect: job.dialect });
}

function formatLater(text: string, dialect: Dialect, done: (result: Formatted) => void): () => void {
  const job: Job = { text, dialect, done, cancelled: false };
  queue.push(job);
  runNext();
  return () => {
    job.cancelled = true;
  };
}

/** The verdict without waiting, or null when the worker has to parse it. */
function formatNow(text: string, maxChars: number, dialect: Dialect): Formatted | null {
  const reason = precheck(text, maxChars);
  if (reason) return plain(reason);
  const known = cache.get(keyOf(text, dialect));
  if (known) return known;
  if (text.length <= SYNC_CHARS) return parseMarkdown(text, dialect);
  if (slowPrefix !== null && text.startsWith(slowPrefix)) return plain("slow");
  return null;
}

export function useFormatted(text: string, maxChars: number, dialect: Dialect = "gfm"): Shown {
  const now = useMemo(() => formatNow(text, maxChars, dialect), [text, maxChars, dialect]);
  const [later, setLater] = useState<{ text: string; result: Formatted } | null>(null);
  const [waited, setWaited] = useState<string | null>(null);
  const lastTree = useRef<Root | null>(null);

  useEffect(() => {
    if (now) return;
    const cancel = formatLater(text, dialect, (result) => setLater({ text, result }));
    const timer = setTimeout(() => setWaited(text), PLACEHOLDER_AFTER_MS);
    return () => {
      cancel();
      clearTimeout(timer);
    };
  }, [text, now, dialect]);

  // While a stream outruns the worker, the newest tree it has finished stands in for the text.
  const previous = (later?.result.kind === "tree" ? later.result.tree : null) ?? lastTree.current;
  const shown: Shown = now ?? (later?.text === text ? later.result : { kind: "pending", previous, showText: waited === text });
  useEffect(() => {
    if (shown.kind === "tree") lastTree.current = shown.tree;
  });
  return shown;
}
