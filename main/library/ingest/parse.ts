import path from "node:path";
import type { DocumentFormat } from "../../../shared/library.js";
import { analyze } from "../text/analyze.js";
import { chunkDocument, firstHeading } from "./chunk.js";
import { decodeText } from "./decode.js";
import { frontMatterTitle, splitFrontMatter } from "./front-matter.js";
import { htmlToMarkdown } from "./html.js";

export interface ParsedChunk {
  headingPath: string[];
  text: string;
  lineStart: number;
  lineEnd: number;
  /** Stemmed fields for the FTS5 index. */
  index: { heading: string; body: string };
}

export type Parsed =
  | { kind: "document"; title: string; indexTitle: string; chunks: ParsedChunk[] }
  | { kind: "skipped"; reason: string };

export interface DocumentText {
  title: string;
  /** What is chunked: the Markdown or text after front matter; for HTML, the Markdown it converts to. */
  body: string;
  /** 1-based line of `body`'s first line in what line numbers refer to. */
  firstLine: number;
  /** Headings start sections (Markdown and converted HTML); plain text has none. */
  markdown: boolean;
}

/**
 * A decoded file's title and the text its chunks come from. For HTML, line ranges refer to the
 * Markdown it was converted to, which is what the preview shows.
 */
export function documentText(text: string, filePath: string, format: DocumentFormat): DocumentText {
  let body = text;
  let firstLine = 1;
  let title: string | undefined;
  if (format !== "text") {
    const fm = splitFrontMatter(body);
    title = frontMatterTitle(fm.data);
    body = fm.body;
    firstLine = fm.bodyLine;
  }
  if (format === "html") {
    const converted = htmlToMarkdown(body);
    title ??= converted.title;
    body = converted.markdown;
    firstLine = 1;
  }
  const markdown = format !== "text";
  if (markdown) title ??= firstHeading(body);
  title ??= path.basename(filePath, path.extname(filePath));
  return { title, body, firstLine, markdown };
}

/** One file's bytes to its title and indexed chunks. */
export function parseDocument(bytes: Uint8Array, filePath: string, format: DocumentFormat): Parsed {
  const decoded = decodeText(bytes);
  if (decoded.kind === "binary") return { kind: "skipped", reason: "binary content, not text" };
  if (!decoded.text.trim()) return { kind: "skipped", reason: "empty file" };

  const { title, body, firstLine, markdown } = documentText(decoded.text, filePath, format);
  const chunks = chunkDocument(body, { markdown, firstLine }).map((chunk) => ({
    ...chunk,
    index: { heading: analyze(chunk.headingPath.join(" ")), body: analyze(chunk.text) },
  }));
  return { kind: "document", title, indexTitle: analyze(title), chunks };
}
