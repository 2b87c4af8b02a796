import { createRequire } from "node:module";
import path from "node:path";
import type { PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem, TextMarkedContent } from "pdfjs-dist/types/src/display/api.js";

export interface PdfLimits {
  maxPages: number;
  /** Reading stops between pages past this; a single page is not interrupted. */
  maxMs: number;
  maxChars: number;
}

/**
 * Measured on the 2-core development machine: a 2,000-page PDF printed by Chromium reads in 1.9 s
 * (160 MB resident), the git manual's pages at about 40 pages/s. 5,000 pages of dense text take about
 * two minutes; a longer book is skipped, not read for minutes. A file is 20 MB at most by default
 * (the folder's size limit); its text is capped at 10 million characters (about 3,000 chunks).
 */
export const PDF_LIMITS: PdfLimits = { maxPages: 5000, maxMs: 120_000, maxChars: 10_000_000 };

export type PdfText = { kind: "pages"; title: string | undefined; pages: string[] } | { kind: "skipped"; reason: string };

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));

/**
 * A PDF's text, page by page, through pdf.js. Nothing in the file runs: scripts (pdf.js only runs
 * them in its viewer's scripting sandbox, which is never loaded here), XFA forms and eval-compiled
 * fonts are off, and the only files read besides the PDF are pdf.js's own character maps and standard
 * font data, from its package folder. A password-protected file is skipped with the reason; a damaged
 * one throws pdf.js's error.
 */
export async function readPdf(bytes: Uint8Array, limits: PdfLimits = PDF_LIMITS): Promise<PdfText> {
  const started = Date.now();
  let doc: PDFDocumentProxy;
  try {
    doc = await openPdf(bytes);
  } catch (error) {
    if ((error as Error).name === "PasswordException") return { kind: "skipped", reason: "encrypted: it needs a password to open" };
    throw error;
  }
  try {
    if (doc.numPages > limits.maxPages) {
      return { kind: "skipped", reason: `too many pages (${doc.numPages}; the limit is ${limits.maxPages})` };
    }
    const pages: string[] = [];
    let chars = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      if (Date.now() - started > limits.maxMs) {
        return { kind: "skipped", reason: `too slow to read (${pages.length} of ${doc.numPages} pages in ${Math.round(limits.maxMs / 1000)} s)` };
      }
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      page.cleanup();
      const text = pageText(content.items);
      chars += text.length;
      if (chars > limits.maxChars) return { kind: "skipped", reason: `too much text (over ${limits.maxChars.toLocaleString("en")} characters)` };
      pages.push(text);
    }
    if (!pages.some((p) => /\S/.test(p))) return { kind: "skipped", reason: "no text layer (scanned?)" };
    return { kind: "pages", title: await pdfTitle(doc), pages };
  } finally {
    await doc.destroy();
  }
}

async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // Loaded on first use: a worker that reads only notes never pays for pdf.js.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  return getDocument({
    // pdf.js may take the buffer over; the caller keeps its own.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    enableXfa: false,
    // Glyphs are drawn as paths from the font program: nothing is installed in a font system.
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    cMapUrl: path.join(pdfjsRoot, "cmaps") + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(pdfjsRoot, "standard_fonts") + path.sep,
    verbosity: 0,
  }).promise;
}

export interface PageImage {
  png: Buffer;
  width: number;
  height: number;
  /** The document's page count. */
  pages: number;
}

/** What pdf.js's canvas factory for Node hands out (an @napi-rs/canvas canvas); its types know only the browser's. */
interface NodeCanvasFactory {
  create(
    width: number,
    height: number,
  ): {
    canvas: { width: number; height: number; toBuffer(type: "image/png"): Buffer };
    context: { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
  };
}

/** A drawn page is at most this many pixels, whatever its shape: a banner-sized page does not take gigabytes. */
const MAX_PAGE_PIXELS = 16_000_000;

/**
 * One page drawn as a PNG `width` pixels wide (fewer for a page so tall that it would pass
 * MAX_PAGE_PIXELS), through pdf.js and the canvas it brings for Node (@napi-rs/canvas). Annotations
 * and form fields are drawn as their appearance says; nothing in the file runs.
 */
export async function renderPdfPage(bytes: Uint8Array, pageNumber: number, width: number): Promise<PageImage> {
  let doc: PDFDocumentProxy;
  try {
    doc = await openPdf(bytes);
  } catch (error) {
    if ((error as Error).name === "PasswordException") throw new Error("it needs a password to open");
    throw error;
  }
  try {
    if (pageNumber > doc.numPages) throw new RangeError(`it has ${doc.numPages} ${doc.numPages === 1 ? "page" : "pages"}, not ${pageNumber}`);
    const page = await doc.getPage(pageNumber);
    const natural = page.getViewport({ scale: 1 });
    const scale = Math.min(width / natural.width, Math.sqrt(MAX_PAGE_PIXELS / (natural.width * natural.height)));
    const viewport = page.getViewport({ scale });
    const { canvas, context } = (doc.canvasFactory as NodeCanvasFactory).create(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)));
    // A page with no background of its own is paper-white, as a viewer shows it.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
    page.cleanup();
    return { png: canvas.toBuffer("image/png"), width: canvas.width, height: canvas.height, pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

async function pdfTitle(doc: PDFDocumentProxy): Promise<string | undefined> {
  const { info } = (await doc.getMetadata().catch(() => ({ info: {} }))) as { info: { Title?: unknown } };
  const title = typeof info.Title === "string" ? info.Title.replace(/\s+/g, " ").trim() : "";
  return title || undefined;
}

/**
 * A page's text in the order its content stream draws it (which is reading order for what word
 * processors, browsers and LaTeX write), a line per line of the page, a blank line where the gap
 * between lines says a new paragraph starts, and words hyphenated across lines joined again.
 */
export function pageText(items: ReadonlyArray<TextItem | TextMarkedContent>): string {
  const lines: string[] = [];
  let line = "";
  let lineY: number | undefined;
  let lineHeight = 0;
  let previousY: number | undefined;
  let previousHeight = 0;
  const endLine = () => {
    if (lineY === undefined) return;
    // A gap of more than about one and a half lines between baselines: a paragraph break.
    if (previousY !== undefined && previousY - lineY > 1.8 * Math.max(previousHeight, lineHeight) && lines.length) lines.push("");
    lines.push(line.replace(/\s+$/, ""));
    previousY = lineY;
    previousHeight = lineHeight;
    line = "";
    lineY = undefined;
    lineHeight = 0;
  };
  for (const item of items) {
    if (!("str" in item)) continue;
    const y = item.transform[5] ?? 0;
    // Text placed well below the line so far, without an end of line between: a new line all the same.
    if (lineY !== undefined && item.str && Math.abs(y - lineY) > Math.max(item.height, lineHeight) * 0.8) endLine();
    if (item.str) {
      if (lineY === undefined) {
        if (!item.str.trim()) continue;
        lineY = y;
      }
      line += item.str;
      lineHeight = Math.max(lineHeight, item.height);
    }
    if (item.hasEOL) endLine();
  }
  endLine();
  return joinHyphenated(lines).join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

const SOFT_HYPHEN = "\u00ad";

/**
 * "infor-" + "mation" → "information": a line ending in a hyphen after a letter, the next starting in
 * lower case. A compound keeps its hyphen: "to-be-" + "rebased" → "to-be-rebased".
 */
function joinHyphenated(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last !== undefined && (last.endsWith(SOFT_HYPHEN) || /\p{L}-$/u.test(last)) && /^\p{Ll}/u.test(line)) {
      const [word = "", ...rest] = line.split(/(?<=\S)(?=\s)/);
      const compound = /-[^\s-]+-$/.test(last) && !last.endsWith(SOFT_HYPHEN);
      out[out.length - 1] = (compound ? last : last.slice(0, -1)) + word;
      const remainder = rest.join("").trim();
      if (remainder) out.push(remainder);
      continue;
    }
    out.push(line);
  }
  return out;
}
