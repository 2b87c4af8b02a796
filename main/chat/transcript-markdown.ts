// A transcript as Markdown (CommonMark with GFM footnotes), built as a syntax tree and written by
// mdast-util-to-markdown, which escapes whatever is text. Questions, titles, paths, notes' text and
// refusal messages go in as text. Answers are the model's Markdown, parsed and kept, but they may
// not reach outside their place or make a viewer fetch anything: their headings go below the
// transcript's, raw HTML becomes text, images become links, and their own footnotes and link
// definitions, which would clash with the transcript's, are made text or resolved in place.
import type { BlockContent, Blockquote, Definition, Emphasis, Link, Nodes, Paragraph, PhrasingContent, Root, RootContent, Text } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown, gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import { gfm } from "micromark-extension-gfm";
import type { Citation, Conversation, SourceRef, StoredMessage } from "../../shared/chat.js";
import { isWebUrl } from "../../shared/web-url.js";
import { answerFacts, exchanges, fileUrl, formatDate, lineRange, sourceLabel } from "./transcript-parts.js";

const HEADING_LEVELS_BELOW = 2;
/** Past these the parser and the writer, which recurse, could exhaust the stack or take seconds. */
const MAX_ANSWER_CHARS = 100_000;
const MAX_ANSWER_DEPTH = 100;
/** A line that opens that many block quotes or list items at once, found before the parser spends seconds on it. */
const DEEP_LINE = new RegExp(`^(?:[ \\t]*(?:>|[-+*][ \\t]|\\d{1,9}[.)][ \\t])){${MAX_ANSWER_DEPTH}}`, "m");

export function renderMarkdown(conversation: Conversation): string {
  const pairs = exchanges(conversation.messages);
  const blocks: RootContent[] = [
    { type: "heading", depth: 1, children: [text(oneLine(conversation.title))] },
    paragraph(emphasis(`${pairs.length === 1 ? "1 question" : `${pairs.length} questions`} · started ${formatDate(conversation.createdAt)} · exported from Sourcebook`)),
  ];
  let footnotes = 0;
  pairs.forEach(({ question, answer }, i) => {
    blocks.push({ type: "heading", depth: 2, children: [text(`Question ${i + 1}`)] }, quote(question.content));
    const a = answer.answer!;
    if (a.refused) {
      blocks.push(paragraph({ type: "strong", children: [text("Not in your notes")] }), ...plainText(answer.content));
      if (a.candidates.length) {
        blocks.push(paragraph(text("Closest matches, not used:")), {
          type: "list",
          ordered: true,
          spread: false,
          children: a.candidates.map((c) => ({ type: "listItem", spread: false, children: [paragraph(...sourceLink(c), text(" — "), emphasis("not used"))] })),
        });
      }
    } else {
      blocks.push(paragraph({ type: "strong", children: [text("Answer")] }), ...answerBlocks(answer.content));
      if (a.stopped) blocks.push(paragraph(emphasis("Stopped: the answer is partial.")));
      if (a.citations.length) {
        const numbers = a.citations.map(() => String(++footnotes));
        blocks.push(paragraph(text("Sources:"), ...numbers.flatMap((n): PhrasingContent[] => [text(" "), { type: "footnoteReference", identifier: n, label: n }])));
        blocks.push(...a.citations.map((c, k) => footnote(numbers[k]!, c)));
      }
    }
    blocks.push(facts(answer));
  });
  return toMarkdown({ type: "root", children: blocks }, { bullet: "-", extensions: [gfmToMarkdown()] });
}

const text = (value: string): Text => ({ type: "text", value });
const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: "paragraph", children });
const emphasis = (value: string): Emphasis => ({ type: "emphasis", children: [text(value)] });

/** Text for one line: a heading, a link, emphasis. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/** Plain text as paragraphs, its line breaks kept as hard breaks; leading spaces dropped, as Markdown would. */
function plainText(value: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) paragraphs.push(paragraph(...lines.flatMap((line, i): PhrasingContent[] => (i ? [{ type: "break" }, text(line)] : [text(line)]))));
    lines = [];
  };
  for (const line of value.split(/\r?\n/).map((l) => l.trim())) {
    if (line) lines.push(line);
    else flush();
  }
  flush();
  return paragraphs;
}

function quote(value: string): Blockquote {
  return { type: "blockquote", children: plainText(value) };
}

function facts(answer: StoredMessage): Paragraph {
  return paragraph(emphasis(oneLine(`${formatDate(answer.createdAt)} · ${answerFacts(answer)}`)));
}

function sourceLink(ref: SourceRef): PhrasingContent[] {
  return [{ type: "link", url: fileUrl(ref.path), children: [text(oneLine(sourceLabel(ref)))] }, text(` · ${lineRange(ref)} · ${oneLine(ref.path)}`)];
}

/** A footnote with the passage as it was cited. */
function footnote(n: string, citation: Citation): RootContent {
  const children: BlockContent[] = [paragraph(...sourceLink(citation))];
  if (citation.text.trim()) children.push(quote(citation.text));
  return { type: "footnoteDefinition", identifier: n, label: n, children };
}

/** The model's Markdown, kept inside its answer. */
function answerBlocks(markdown: string): RootContent[] {
  let tree: Root;
  try {
    if (markdown.length > MAX_ANSWER_CHARS || DEEP_LINE.test(markdown)) return asCode(markdown);
    tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  } catch (error) {
    if (error instanceof RangeError) return asCode(markdown);
    throw error;
  }
  if (depth(tree) > MAX_ANSWER_DEPTH) return asCode(markdown);
  const definitions = new Map<string, Definition>();
  collectDefinitions(tree, definitions);
  const blocks = rewrite(tree.children, { definitions, phrasing: false, inLink: false }) as RootContent[];
  return blocks.length ? blocks : [paragraph(emphasis("(no text)"))];
}

/** An answer too large or too deeply nested to parse safely, kept whole as text. */
function asCode(markdown: string): RootContent[] {
  return [paragraph(emphasis("This answer is too long or too deeply nested to keep its formatting; here it is as it was written.")), { type: "code", value: markdown }];
}

function depth(tree: Root): number {
  let max = 0;
  const stack: [Nodes, number][] = [[tree, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, d] = entry;
    max = Math.max(max, d);
    if ("children" in node) for (const child of node.children) stack.push([child, d + 1]);
  }
  return max;
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>): void {
  // The first definition of a label wins, as in CommonMark.
  if (node.type === "definition" && !into.has(node.identifier)) into.set(node.identifier, node);
  if ("children" in node) for (const child of node.children) collectDefinitions(child, into);
}

interface Place {
  definitions: Map<string, Definition>;
  /** Inside a paragraph, heading, emphasis, link or table cell, where only inline content goes. */
  phrasing: boolean;
  inLink: boolean;
}

const PHRASING_PARENTS = new Set(["paragraph", "heading", "emphasis", "strong", "delete", "link", "linkReference", "tableCell"]);

function rewrite(nodes: readonly Nodes[], place: Place): Nodes[] {
  return nodes.flatMap((node): Nodes[] => {
    switch (node.type) {
      case "html":
        return [place.phrasing ? text(node.value) : paragraph(text(node.value))];
      case "image":
        return [imageAsLink(node.url, node.title, node.alt, place)];
      case "imageReference": {
        const target = place.definitions.get(node.identifier);
        return [target ? imageAsLink(target.url, target.title, node.alt, place) : text(node.alt ?? "")];
      }
      case "linkReference": {
        const target = place.definitions.get(node.identifier);
        const children = rewrite(node.children, { ...place, phrasing: true, inLink: true }) as PhrasingContent[];
        return target && isWebUrl(target.url) ? [{ type: "link", url: target.url, title: target.title, children }] : children;
      }
      // A model's javascript:, file: or data: link stays its words: a viewer would follow it.
      case "link":
        if (!isWebUrl(node.url)) return rewrite(node.children, { ...place, phrasing: true });
        break;
      case "definition":
        return [];
      case "footnoteReference":
        return [text(`[^${node.label ?? node.identifier}]`)];
      case "footnoteDefinition": {
        const children = rewrite(node.children, { ...place, phrasing: false }) as BlockContent[];
        const label = text(`[^${node.label ?? node.identifier}]: `);
        const first = children[0];
        if (first?.type === "paragraph") first.children.unshift(label);
        else children.unshift(paragraph(label));
        return children;
      }
      case "heading":
        node.depth = Math.min(6, node.depth + HEADING_LEVELS_BELOW) as typeof node.depth;
        break;
    }
    if ("children" in node) {
      const inside = { ...place, phrasing: PHRASING_PARENTS.has(node.type), inLink: place.inLink || node.type === "link" };
      node.children = rewrite(node.children, inside) as typeof node.children;
    }
    return [node];
  });
}

/** A link to what the image showed: a viewer would fetch an image, and a remote one tracks who reads it. */
function imageAsLink(url: string, title: string | null | undefined, alt: string | null | undefined, place: Place): PhrasingContent {
  const label = text(alt || url);
  // A link cannot hold another.
  return place.inLink || !isWebUrl(url) ? label : ({ type: "link", url, title, children: [label] } satisfies Link);
}
