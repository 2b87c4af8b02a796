import path from "node:path";
import type { FileStatus } from "../../shared/library.js";
import { formatOf } from "./ingest/formats.js";

const LINK = /!?\[\[([^\]\n|#^]+)/g;
/** A note linking to more notes than this is not followed past them: the preview resolves them all at once. */
const MAX_LINKS = 1000;

/**
 * Where a note's [[wikilinks]] lead, as Obsidian resolves them: by path from the vault's folder, else
 * by file name anywhere in it (case aside, ".md" implied), the one beside the note first, then the
 * shortest path. Only files the index holds in the note's own folder are candidates; a link that
 * names none is left out, and the preview shows it as text.
 */
export function resolveWikilinks(note: Pick<FileStatus, "path" | "folder">, markdown: string, files: readonly FileStatus[]): Record<string, string> {
  const names = new Set<string>();
  for (const [, name] of markdown.matchAll(LINK)) {
    if (names.size >= MAX_LINKS) break;
    if (name!.trim()) names.add(name!.trim());
  }
  if (!names.size) return {};
  const relative = (file: string) => path.relative(note.folder, file).split(path.sep).join("/").toLowerCase();
  const indexed = files.filter((f) => f.status === "indexed").map((f) => ({ path: f.path, rel: relative(f.path) }));
  const here = path.dirname(relative(note.path));
  const links: Record<string, string> = {};
  for (const name of names) {
    const wanted = name.replaceAll("\\", "/").replace(/^\/+/, "").toLowerCase();
    const file = formatOf(wanted) ? wanted : `${wanted}.md`;
    const matches = indexed.filter((f) => f.rel === file || f.rel.endsWith(`/${file}`));
    const best = matches.find((f) => f.rel === file) ?? matches.find((f) => path.posix.dirname(f.rel) === here) ?? matches.sort((a, b) => a.rel.length - b.rel.length)[0];
    if (best) links[name] = best.path;
  }
  return links;
}
