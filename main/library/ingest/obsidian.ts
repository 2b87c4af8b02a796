import { fencedCode, maskComments } from "../../../shared/obsidian-comments.js";

// Obsidian's additions to Markdown, read as a person reading the note sees them. The text that is
// chunked and indexed keeps every line where it was (the preview marks passages by line), with:
//   [[note]], [[note|alias]], [[note#heading]], [[note#^block]]  → "note", "alias", "note > heading", "note"
//   ![[embed]]                                                   → its name: what it embeds is not copied in
//   %%comment%%, also over several lines                          → left out
//   ==highlight==                                                → its text
//   > [!note] Title (a callout)                                   → "> Note: Title"
//   a block id at a line's end ( ^id)                            → left out
// Fenced code and `code spans` are left exactly as written. Tags come from #tags in the text and from
// the front matter's `tags`; `aliases` are other names of the note, searched like its title.

export interface ObsidianNote {
  text: string;
  tags: string[];
}

const WIKILINK = /(!?)\[\[([^\]\n]+?)\]\]/g;
const HIGHLIGHT = /==(?=\S)([^=\n]*?\S)==/g;
const CALLOUT = /^((?:[ \t]*>)+[ \t]*)\[!([\w-]+)\][+-]?[ \t]*(.*)$/;
const BLOCK_ID = /[ \t]\^[A-Za-z0-9-]+[ \t]*$/;
// Obsidian's tag: after a space or the line's start, letters, digits, _ - and / for nesting, not all digits.
const TAG = /(?<=^|[\s(,;])#([\p{L}\p{N}_\-/]*[\p{L}_\-/][\p{L}\p{N}_\-/]*)/gu;

export function readObsidian(body: string): ObsidianNote {
  if (!MAYBE.test(body) && !body.includes("%%")) return { text: body, tags: [] };
  const tags = new Set<string>();
  const inFence = fencedCode();
  const lines = maskComments(body)
    .split("\n")
    .map((line) => (inFence(line) ? line : readLine(line, tags).trimEnd()));
  return { text: lines.join("\n"), tags: [...tags] };
}

/** Whether a line may hold any of the syntax: most lines of prose do not, and are left as they are at once. */
const MAYBE = /\[\[|==|#|\^|\[!/;

/** One line outside code blocks and comments: its code spans stay, the rest is read. */
function readLine(line: string, tags: Set<string>): string {
  if (!MAYBE.test(line)) return line;
  const callout = CALLOUT.exec(line);
  let out = callout ? `${callout[1]}${calloutLabel(callout[2]!)}${callout[3] ? `: ${callout[3]}` : ""}` : line;
  out = out
    .split(/(`+[^`]*`+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      for (const [, tag] of part.matchAll(TAG)) tags.add(normalizeTag(tag!));
      return part.replace(WIKILINK, (_, _embed: string, inner: string) => linkText(inner)).replace(HIGHLIGHT, "$1");
    })
    .join("");
  return out.replace(BLOCK_ID, "");
}

function calloutLabel(type: string): string {
  return type[0]!.toUpperCase() + type.slice(1).toLowerCase();
}

/** What Obsidian shows for a link's inside: its alias, or the note's name, with a heading after " > ". */
export function linkText(inner: string): string {
  const bar = inner.indexOf("|");
  if (bar !== -1) return inner.slice(bar + 1).trim();
  const hash = inner.indexOf("#");
  const note = (hash === -1 ? inner : inner.slice(0, hash)).trim().replace(/\.md$/i, "");
  const fragment = hash === -1 ? "" : inner.slice(hash + 1).trim();
  if (!fragment || fragment.startsWith("^")) return note || fragment;
  return note ? `${note} > ${fragment.replaceAll("#", " > ")}` : fragment;
}

/** Tags match whatever their case and leading #; "#Project/Alpha" is "project/alpha". */
export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#/, "").replace(/\/+$/, "").toLowerCase();
}

/** Front matter `tags` (or `tag`): a list, or one string of tags separated by commas or spaces. */
export function frontMatterTags(data: Record<string, unknown>): string[] {
  return stringList(data.tags ?? data.tag, /[,\s]+/).map(normalizeTag).filter(Boolean);
}

/** Front matter `aliases` (or `alias`): a list, or one string of names separated by commas. */
export function frontMatterAliases(data: Record<string, unknown>): string[] {
  return stringList(data.aliases ?? data.alias, /,/)
    .map((a) => a.trim())
    .filter(Boolean);
}

function stringList(value: unknown, separator: RegExp): string[] {
  if (typeof value === "string") return value.split(separator);
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.filter((v): v is string | number => typeof v === "string" || typeof v === "number").map(String);
  return [];
}
