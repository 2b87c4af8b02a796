// Links from one note to another, as the preview follows them: `[text](other.md)`, relative to the
// note that has it, with or without `#heading`, spaces written %20 or the link in <angle brackets>.
// Whether the note may be shown is main's to say (notes.read refuses a path outside the library
// without reading it); this only turns a link into the path it names. [[Wikilinks]] name a note by
// its name instead: main says which indexed note each name of the note leads to (NoteContent.links),
// and they resolve to the same NoteTarget.

export interface NoteTarget {
  /** Absolute, in the note's own style of separators. */
  path: string;
  /** The heading to scroll to, decoded; null for the top of the note. */
  fragment: string | null;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A link to a file beside its note, or to a heading in it: not a web address, another scheme, or a rooted path. */
export function isNoteLink(href: string): boolean {
  return href !== "" && !SCHEME.test(href) && !/^[\\/]/.test(href);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // A stray % (a file named "100%.md"): the link means the text as written.
    return part;
  }
}

/** How SafeMarkdown hands a wikilink's target ("note#heading") to whoever follows note links. */
export const WIKILINK_HREF = "wikilink:";

/** Where [[name#heading]] leads, by main's resolution of the note's links; null for a note not in the library. */
function resolveWikilink(from: string, target: string, links: Readonly<Record<string, string>>): NoteTarget | null {
  const hash = target.indexOf("#");
  const name = (hash === -1 ? target : target.slice(0, hash)).trim();
  const fragment = hash === -1 ? null : target.slice(hash + 1).trim() || null;
  // A block id (#^id) names no heading: the note opens at its top.
  const heading = fragment?.startsWith("^") ? null : fragment;
  if (!name) return { path: from, fragment: heading };
  const path = links[name];
  return path ? { path, fragment: heading } : null;
}

/** Where a link in the note at `from` leads, or null when it is not a note link (or a wikilink to no note). */
export function resolveNoteLink(from: string, href: string, links: Readonly<Record<string, string>> = {}): NoteTarget | null {
  if (href.startsWith(WIKILINK_HREF)) return resolveWikilink(from, href.slice(WIKILINK_HREF.length), links);
  if (!isNoteLink(href)) return null;
  const hash = href.indexOf("#");
  const fragment = hash === -1 ? null : decode(href.slice(hash + 1)) || null;
  const file = (hash === -1 ? href : href.slice(0, hash)).replace(/\?.*$/s, "");
  if (file === "") return { path: from, fragment };
  const separator = from.includes("\\") && !from.includes("/") ? "\\" : "/";
  const parts = from.split(/[\\/]/);
  parts.pop();
  for (const part of decode(file).split(/[\\/]/)) {
    if (part === "" || part === ".") continue;
    // The root stays: "/notes/../../x.md" is "/x.md", as the file system reads it.
    if (part === "..") {
      if (parts.length > 1) parts.pop();
    } else parts.push(part);
  }
  return { path: parts.join(separator), fragment };
}

/** A heading's anchor as GitHub writes it: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
