// What the Markdown and HTML transcripts say alike about a source and a time.
import type { SourceRef, StoredMessage } from "../../shared/chat.js";

/** A date for people, the same wherever the file is opened: minutes, in UTC. */
export function formatDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

import { sourcePlace } from "../../shared/source-label.js";

export { sourceLabel } from "../../shared/source-label.js";

export function lineRange(ref: SourceRef): string {
  return sourcePlace(ref);
}

/**
 * A file:// URL for a note, every character outside the unreserved set percent-encoded (as UTF-8), so
 * that it survives inside a Markdown link and an HTML attribute. Windows paths work from any platform,
 * since a transcript may be exported on one and read on another.
 */
export function fileUrl(notePath: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(notePath) || notePath.startsWith("\\\\");
  const slashed = windows ? notePath.replaceAll("\\", "/") : notePath;
  const encoded = slashed
    .split("/")
    .map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeSegment(segment)))
    .join("/");
  if (encoded.startsWith("//")) return `file:${encoded}`;
  return encoded.startsWith("/") ? `file://${encoded}` : `file:///${encoded}`;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export { exchanges } from "../../shared/exchanges.js";

/** "model · 2 of 6 documents used · 1.4 s · 2,647 tokens evaluated, 120 reused", for "how this was answered". */
export function answerFacts(message: StoredMessage): string {
  const a = message.answer;
  if (!a) return "";
  const facts = [a.model ?? "unknown model"];
  if (!a.refused) facts.push(`${a.relevantDocIds.length} of ${a.candidates.length} documents used`);
  const ms = a.timings.retrieveMs + a.timings.selectMs + a.timings.answerMs;
  facts.push(`${(ms / 1000).toFixed(1)} s`, `${a.tokens.evaluated} tokens evaluated, ${a.tokens.reused} reused, ${a.tokens.generated} generated`);
  return facts.join(" · ");
}
