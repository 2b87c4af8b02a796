// Obsidian's %%comments%%, inline or over several lines, are not part of what a note says: the index
// leaves them out and the preview does not show them. Both mask them here, the same way: each
// character of a comment becomes a space and each line stays where it was, so passages keep their lines.
// Fenced code is left as written.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function maskComments(text: string): string {
  if (!text.includes("%%")) return text;
  let fence: string | undefined;
  let inComment = false;
  return text
    .split("\n")
    .map((line) => {
      const fenceMatch = FENCE.exec(line);
      if (fence) {
        if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined;
        return line;
      }
      if (fenceMatch && !inComment) {
        fence = fenceMatch[1];
        return line;
      }
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
