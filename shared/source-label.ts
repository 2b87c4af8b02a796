/**
 * "Title › heading path", as people and the model read where a passage stands. A heading path usually
 * starts with the note's title already (its first heading is the title), which is then not said twice.
 */
export function sourceLabel({ title, heading }: { title: string; heading: string }): string {
  if (!heading || heading === title || heading.startsWith(`${title} › `)) return heading || title;
  return `${title} › ${heading}`;
}

/** Where in its file a passage stands, for people: "p. 12" in a PDF (its lines are the extracted text's), else "lines 3–7". */
export function sourcePlace({ lineStart, lineEnd, page }: { lineStart: number; lineEnd: number; page?: number | null }): string {
  if (page) return `p. ${page}`;
  return lineStart === lineEnd ? `line ${lineStart}` : `lines ${lineStart}–${lineEnd}`;
}

/** A passage's file and place for a terminal: "notes/a.md:3-7", or "papers/b.pdf, p. 12". */
export function fileAndPlace(ref: { path: string; lineStart: number; lineEnd: number; page?: number | null }): string {
  return ref.page ? `${ref.path}, p. ${ref.page}` : `${ref.path}:${ref.lineStart}-${ref.lineEnd}`;
}
