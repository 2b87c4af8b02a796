import path from "node:path";
import type { DocumentFormat } from "../../../shared/library.js";
import { analyze } from "../text/analyze.js";
import { chunkDocument, firstHeading, type Chunk } from "./chunk.js";
import { decodeText } from "./decode.js";
import { frontMatterTitle, splitFrontMatter } from "./front-matter.js";
import { htmlToMarkdown } from "./html.js";
import { frontMatterAliases, frontMatterTags, readObsidian } from "./obsidian.js";
import { docxToMarkdown } from "./docx.js";
import { epubToMarkdown } from "./epub.js";
import { readPdf } from "./pdf.js";
import { ZipLimitError } from "./zip.js";

export interface ParsedChunk {
  headingPath: string[];
  text: string;
  lineStart: number;
  lineEnd: number;
  /** The PDF page the chunk is on, from 1; absent for other formats. */
  page?: number;
  /** Stemmed fields for the FTS5 index. */
  index: { heading: string; body: string };
}

export type Parsed =
  | { kind: "document"; title: string; indexTitle: string; tags: string[]; chunks: ParsedChunk[] }
  | { kind: "skipped"; reason: string };

export interface DocumentText {
  kind: "text";
  title: string;
  /**
   * What the preview shows: the Markdown or text after front matter; for HTML, DOCX and EPUB the
   * Markdown they convert to; for a PDF its text, page after page.
   */
  body: string;
  /** What is chunked and indexed: `body`, or for Markdown the same lines with Obsidian's syntax read. */
  indexed: string;
  /** 1-based line of `body`'s first line in what line numbers refer to. */
  firstLine: number;
  /** Headings start sections; plain text and PDF text have none. */
  markdown: boolean;
  /** For a PDF: each page's text, and the line of `body` where it starts, page 1 first. */
  pages?: string[];
  pageLines?: number[];
  tags: string[];
  /** Other names of the note (front matter `aliases`), searched like its title. */
  aliases: string[];
}

export type Extracted = DocumentText | { kind: "skipped"; reason: string };

const BINARY_FORMATS: ReadonlySet<DocumentFormat> = new Set(["pdf", "docx", "epub"]);

/**
 * A file's title and the text its chunks come from, whatever its format. For converted formats,
 * line ranges refer to the Markdown or text they were converted to, which is what the preview shows.
 */
export async function extractDocument(bytes: Uint8Array, filePath: string, format: DocumentFormat): Promise<Extracted> {
  if (!BINARY_FORMATS.has(format)) {
    const decoded = decodeText(bytes);
    if (decoded.kind === "binary") return { kind: "skipped", reason: "binary content, not text" };
    if (!decoded.text.trim()) return { kind: "skipped", reason: "empty file" };
    return documentText(decoded.text, filePath, format);
  }
  if (!bytes.length) return { kind: "skipped", reason: "empty file" };
  const fallback = path.basename(filePath, path.extname(filePath));
  const none = { tags: [], aliases: [], firstLine: 1 };
  if (format === "pdf") {
    const pdf = await readPdf(bytes);
    if (pdf.kind === "skipped") return pdf;
    const pageLines: number[] = [];
    let line = 1;
    for (const page of pdf.pages) {
      pageLines.push(line);
      line += page.split("\n").length + 1;
    }
    const body = pdf.pages.join("\n\n");
    return { kind: "text", title: pdf.title ?? fallback, body, indexed: body, markdown: false, pages: pdf.pages, pageLines, ...none };
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let book;
  try {
    book = format === "docx" ? await docxToMarkdown(buffer) : epubToMarkdown(buffer);
  } catch (error) {
    if (error instanceof ZipLimitError) return { kind: "skipped", reason: error.message };
    throw error;
  }
  if (!book.markdown.trim()) return { kind: "skipped", reason: "no text in it" };
  const title = book.title ?? firstHeading(book.markdown) ?? fallback;
  return { kind: "text", title, body: book.markdown, indexed: book.markdown, markdown: true, ...none };
}

/** A text format's title and body: front matter read (and for Markdown, Obsidian's syntax), HTML converted. */
export function documentText(text: string, filePath: string, format: DocumentFormat): DocumentText {
  let body = text;
  let firstLine = 1;
  let title: string | undefined;
  let data: Record<string, unknown> = {};
  if (format !== "text") {
    const fm = splitFrontMatter(body);
    data = fm.data;
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
  let indexed = body;
  const tags = new Set(frontMatterTags(data));
  if (format === "markdown") {
    const obsidian = readObsidian(body);
    indexed = obsidian.text;
    for (const tag of obsidian.tags) tags.add(tag);
  }
  const markdown = format !== "text";
  if (markdown) title ??= firstHeading(indexed);
  title ??= path.basename(filePath, path.extname(filePath));
  return { kind: "text", title, body, indexed, firstLine, markdown, tags: [...tags], aliases: frontMatterAliases(data) };
}

/** One file's bytes to its title, tags and indexed chunks. */
export async function parseDocument(bytes: Uint8Array, filePath: string, format: DocumentFormat): Promise<Parsed> {
  const doc = await extractDocument(bytes, filePath, format);
  if (doc.kind === "skipped") return doc;
  const index = (chunk: Chunk): ParsedChunk => ({ ...chunk, index: { heading: analyze(chunk.headingPath.join(" ")), body: analyze(chunk.text) } });
  let chunks: ParsedChunk[];
  if (doc.pages && doc.pageLines) {
    const { pageLines } = doc;
    // A chunk never spans pages, so each citation names one page.
    chunks = doc.pages.flatMap((text, i) => chunkDocument(text, { markdown: false, firstLine: pageLines[i] }).map((chunk) => ({ ...index(chunk), page: i + 1 })));
  } else {
    chunks = chunkDocument(doc.indexed, { markdown: doc.markdown, firstLine: doc.firstLine }).map(index);
  }
  const indexTitle = analyze([doc.title, ...doc.aliases].join(" "));
  return { kind: "document", title: doc.title, indexTitle, tags: doc.tags, chunks };
}
