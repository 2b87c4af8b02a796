import TurndownService from "turndown";
import { gfm } from "@joplin/turndown-plugin-gfm";

const turndown = new TurndownService({
  headingStyle: "atx",
  codeBlockStyle: "fenced",
  bulletListMarker: "-",
  emDelimiter: "_",
});
turndown.use(gfm);
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

export function htmlToMarkdown(html: string): ConvertedHtml {
  const title = extractTitle(html);
  let markdown: string;
  try {
    markdown = turndown.turndown(html.replace(INVISIBLE, ""));
  } catch (error) {
    // Turndown walks the DOM recursively; pathologically deep markup overflows the stack.
    // The words still deserve to be found, so fall back to the text without structure.
    if (!(error instanceof RangeError)) throw error;
    markdown = htmlToPlainText(html);
  }
  return { markdown, title };
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
