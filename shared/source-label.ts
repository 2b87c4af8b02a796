/**
 * "Title › heading path", as people and the model read where a passage stands. A heading path usually
 * starts with the note's title already (its first heading is the title), which is then not said twice.
 */
export function sourceLabel({ title, heading }: { title: string; heading: string }): string {
  if (!heading || heading === title || heading.startsWith(`${title} › `)) return heading || title;
  return `${title} › ${heading}`;
}
