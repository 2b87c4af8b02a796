import TurndownService from "turndown";
import { gfm } from "@joplin/turndown-plugin-gfm";
import { parseHtml } from "./html-dom.js";

const turndown = new TurndownService({
  headingStyle: "atx",
  codeBlockStyle: "fenced",
  bulletListMarker: "-",
  emDelimiter: "_",
});
turndown.use(gfm);
// Turndown escapes every text node with thirteen replace() calls; most text holds nothing any of them
// would change, and returns as it is after one test.
const escapeAll = turndown.escape.bind(turndown);
const MAY_ESCAPE = /[\\*`[\]_]|^(?:[-+=#~>]|\d+\. )/;
turndown.escape = (text: string) => (MAY_ESCAPE.test(text) ? escapeAll(text) : text);
// Never text a person wrote in the note: code, styling, navigation chrome and embedded content.
turndown.remove(["script", "style", "nav", "noscript", "template", "iframe", "object", "embed", "head", "title", "svg", "canvas"]);

export interface ConvertedHtml {
  markdown: string;
  /** The document's <title>, if it has one. */
  title: string | undefined;
}

// Raw-text elements end at their first closing tag, in the HTML parser as in this pattern, so
// cutting them out first changes nothing in the result. Generated pages (asciidoc, static site
// generators) are often half inline CSS and scripts, which the DOM parser then needn't build.
const INVISIBLE = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;

// In XHTML these close themselves; read as HTML, `<script src="x.js"/>` or `<title/>` would hide
// everything up to the next closing tag of its kind.
const SELF_CLOSED_INVISIBLE = /<(?:script|style|noscript|template|title)\b[^>]*\/>/gi;

/** Deeper than any real page; past it, turndown's time grows with the square of the depth. */
const MAX_NESTING = 500;

export interface HtmlOptions {
  /** XHTML (an EPUB's chapters): `<tag/>` closes itself, whatever the tag, as an XML parser reads it. */
  xhtml?: boolean;
}

export function htmlToMarkdown(source: string, options: HtmlOptions = {}): ConvertedHtml {
  const html = options.xhtml ? source.replace(SELF_CLOSED_INVISIBLE, "") : source;
  const title = extractTitle(html);
  const visible = html.replace(INVISIBLE, "");
  // Pathological markup still deserves to be found, so it falls back to its text without structure.
  if (exceedsNesting(visible, MAX_NESTING)) return { markdown: htmlToPlainText(visible), title };
  let markdown: string;
  try {
    markdown = turndown.turndown(parseHtml(visible, { selfClosing: options.xhtml }) as unknown as TurndownService.Node);
  } catch (error) {
    // Turndown walks the DOM recursively; markup deep enough to slip past the estimate overflows the stack.
    if (!(error instanceof RangeError)) throw error;
    markdown = htmlToPlainText(visible);
  }
  return { markdown, title };
}

// Elements that never hold children, or whose end tag is optional and usually left out: counting
// them as open would overestimate the depth of ordinary sloppy HTML.
const NOT_NESTING = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
  "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup", "rp", "rt",
]);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g;

/** An estimate of the element nesting depth, from the tags alone; stops counting past limit. */
function exceedsNesting(html: string, limit: number): boolean {
  let depth = 0;
  for (const [, closing, name, selfClosing] of html.matchAll(TAG)) {
    if (selfClosing || NOT_NESTING.has(name!.toLowerCase())) continue;
    depth += closing ? -1 : 1;
    if (depth < 0) depth = 0;
    else if (depth > limit) return true;
  }
  return false;
}

function extractTitle(html: string): string | undefined {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = match ? decodeEntities(match[1]!.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim() : "";
  return title || undefined;
}

const BLOCK_TAGS = /<\/?(?:p|div|section|article|h[1-6]|li|ul|ol|table|tr|br|hr|pre|blockquote)\b[^>]*>/gi;

export function htmlToPlainText(html: string): string {
  const text = html
    .replace(/<(script|style|noscript|template|nav|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(BLOCK_TAGS, "\n\n")
    .replace(/<[^>]*>/g, " ");
  return decodeEntities(text)
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*\n\s*/g, "\n\n")
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
