// Obsidian's %%comments%%, inline or over several lines, are not part of what a note says: the index
// leaves them out and the preview does not show them. Both mask them here, the same way: each
// character of a comment becomes a space and each line stays where it was, so passages keep their lines.
// Fenced code is left as written.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Follows fenced code through a note's lines, fed one by one in order: true for a line that opens,
 * holds or closes a fence. A fence opens only where `mayOpen` says (not inside a comment).
 */
export function fencedCode(): (line: string, mayOpen?: boolean) => boolean {
  let fence: string | undefined;
  return (line, mayOpen = true) => {
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return true;
    }
    if (!marker || !mayOpen) return false;
    fence = marker;
    return true;
  };
}

export function maskComments(text: string): string {
  if (!text.includes("%%")) return text;
  const inFence = fencedCode();
  let inComment = false;
  return text
    .split("\n")
    .map((line) => {
      if (inFence(line, !inComment)) return line;
      if (!inComment && !line.includes("%%")) return line;
      let out = "";
      let at = 0;
      while (at < line.length) {
        const mark = line.indexOf("%%", at);
        const end = mark === -1 ? line.length : mark;
        out += inComment ? " ".repeat(end - at) : line.slice(at, end);
        if (mark === -1) break;
        out += "  ";
        inComment = !inComment;
        at = mark + 2;
      }
      return out;
    })
    .join("\n");
}
