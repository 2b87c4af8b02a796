// Obsidian's additions to Markdown, for the preview of a note: [[wikilinks]] and ![[embeds]] become
// links to the note they name (an embed is shown as a link, never inlined), ==highlights== marks,
// "> [!note] Title" a titled callout, and a block id at a paragraph's end (" ^id") is hidden.
// Comments are masked before parsing (shared/obsidian-comments.ts). Code stays code: only text nodes
// are read, and code spans and blocks have none.
import type { Blockquote, Nodes, Paragraph, PhrasingContent, Root, Text } from "mdast";

/** A wikilink's target travels as this attribute, not as a URL: only the preview's note links follow it. */
export const WIKILINK_ATTRIBUTE = "dataWikilink";

const INLINE = /(!?)\[\[([^\]\n]+?)\]\]|==(?=\S)([^=\n]*?\S)==/g;
const CALLOUT = /^\[!([\w-]+)\][+-]?[ \t]*([^\n]*)\n?/;
const BLOCK_ID = /[ \t]\^[A-Za-z0-9-]+$/;

export function remarkObsidian() {
  return (tree: Root) => {
    transform(tree);
  };
}

type Parent = Extract<Nodes, { children: unknown[] }>;

function transform(node: Nodes): void {
  if (!("children" in node)) return;
  if (node.type === "blockquote") callout(node);
  const children = (node as Parent).children as Nodes[];
  const out: Nodes[] = [];
  for (const [i, child] of children.entries()) {
    if (child.type === "text") {
      const value = i === children.length - 1 && node.type === "paragraph" ? child.value.replace(BLOCK_ID, "") : child.value;
      out.push(...splitText({ ...child, value }));
    } else {
      transform(child);
      out.push(child);
    }
  }
  (node as Parent).children = out as Parent["children"];
}

function splitText(node: Text): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let at = 0;
  for (const match of node.value.matchAll(INLINE)) {
    if (match.index > at) out.push({ type: "text", value: node.value.slice(at, match.index) });
    out.push(match[2] !== undefined ? wikilink(match[2], match[1] === "!") : mark(match[3]!));
    at = match.index + match[0].length;
  }
  if (at === 0) return [node];
  if (at < node.value.length) out.push({ type: "text", value: node.value.slice(at) });
  return out;
}

/** What Obsidian shows for a link: its alias, or the note's name with " > heading". */
export function wikilinkLabel(inner: string): string {
  const bar = inner.indexOf("|");
  if (bar !== -1) return inner.slice(bar + 1).trim();
  const [note = "", ...fragment] = inner.split("#");
  const heading = fragment.join("#").trim();
  const name = note.trim().replace(/\.md$/i, "");
  if (!heading || heading.startsWith("^")) return name || heading;
  return name ? `${name} > ${heading}` : heading;
}

function wikilink(inner: string, embed: boolean): PhrasingContent {
  const target = inner.split("|")[0]!.trim();
  return {
    type: "link",
    url: "",
    data: { hProperties: { className: embed ? ["md-embed"] : ["md-wikilink"], [WIKILINK_ATTRIBUTE]: target } },
    children: [{ type: "text", value: wikilinkLabel(inner) }],
  };
}

function mark(text: string): PhrasingContent {
  return { type: "emphasis", data: { hName: "mark" }, children: [{ type: "text", value: text }] };
}

/** "> [!warning] Rocks ahead": a callout of that type, its title (or its type) as the first line. */
function callout(node: Blockquote): void {
  const first = node.children[0];
  const text = first?.type === "paragraph" ? first.children[0] : undefined;
  if (!first || text?.type !== "text") return;
  const match = CALLOUT.exec(text.value);
  if (!match) return;
  const type = match[1]!.toLowerCase();
  const title: Paragraph = {
    type: "paragraph",
    data: { hProperties: { className: ["callout-title"] } },
    children: [{ type: "text", value: match[2]!.trim() || type[0]!.toUpperCase() + type.slice(1) }],
    position: first.position,
  };
  text.value = text.value.slice(match[0].length);
  const rest = (first as Paragraph).children.filter((c) => c.type !== "text" || c.value !== "");
  node.data = { ...node.data, hProperties: { className: ["callout", `callout-${type}`] } };
  node.children = [title, ...(rest.length ? [{ ...first, children: rest } as Paragraph] : []), ...node.children.slice(1)];
}
