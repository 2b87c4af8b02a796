// Marks the question's words in a snippet. Russian words change their endings, so a snippet word
// matches when it starts with a question word less its last two letters ("кошки" finds "кошка").
import { memo, type ReactNode } from "react";

const WORD = /[\p{L}\p{N}]+/gu;
const MIN_WORD = 3;

export function questionStems(question: string): string[] {
  const stems = new Set<string>();
  for (const [word] of question.toLocaleLowerCase().matchAll(WORD)) {
    if (word.length < MIN_WORD) continue;
    stems.add(word.length > 4 ? word.slice(0, Math.max(MIN_WORD, word.length - 2)) : word);
  }
  return [...stems];
}

export const Highlighted = memo(function Highlighted({ text, stems }: { text: string; stems: readonly string[] }): ReactNode {
  if (stems.length === 0) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLocaleLowerCase();
    if (!stems.some((stem) => word.startsWith(stem))) continue;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(<mark key={match.index}>{match[0]}</mark>);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
});
