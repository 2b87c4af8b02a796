// A search snippet with the matched words marked, from the offsets main computed. Text nodes only:
// the snippet is a note's text, and notes are untrusted.
import { memo, type ReactNode } from "react";

export const Snippet = memo(function Snippet({ text, highlights }: { text: string; highlights: ReadonlyArray<readonly [number, number]> }): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const [from, to] of [...highlights].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(from, last);
    const end = Math.min(to, text.length);
    if (end <= start) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    last = end;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
});
