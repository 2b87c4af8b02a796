// Where a passage stands, after its file's path: ":3–7" (lines), or " · p. 12" in a PDF, whose
// lines are those of its extracted text and mean little to a reader.
export function placeAfterPath(t: (key: string, vars?: Record<string, string | number>) => string, ref: { lineStart: number; lineEnd: number; page?: number | null }): string {
  return ref.page ? ` · ${t("source.page", { page: ref.page })}` : `:${ref.lineStart}–${ref.lineEnd}`;
}
