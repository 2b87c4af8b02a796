import { htmlToMarkdown } from "./html.js";
import { elements } from "./xml-bits.js";
import { ZipArchive } from "./zip.js";

export interface ConvertedBook {
  markdown: string;
  title: string | undefined;
}

/** The parts mammoth never reads: pictures and embedded files, which are not inflated at all. */
const NOT_READ = /^word\/(?:media|embeddings)\//;

/**
 * A Word document to Markdown: mammoth turns its paragraphs, headings, lists and tables into HTML
 * (it runs no macros and fetches nothing: external files are off), then the HTML path makes that
 * Markdown. Every part mammoth reads is checked against the zip limits and inflated once here first,
 * so a part that lies about its size fails before mammoth's own unzip reaches it.
 */
export async function docxToMarkdown(bytes: Buffer): Promise<ConvertedBook> {
  const zip = new ZipArchive(bytes);
  if (!zip.has("word/document.xml")) throw new Error("it is not a Word document (it has no word/document.xml)");
  for (const name of zip.entries.keys()) if (!name.endsWith("/") && !NOT_READ.test(name)) zip.read(name);
  // Loaded on first use: a worker that reads only notes never pays for mammoth.
  const { default: mammoth } = await import("mammoth");
  const { value: html } = await mammoth.convertToHtml(
    { buffer: bytes },
    {
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
      // Pictures become their alt text; their bytes are never read.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
    },
  );
  return { markdown: htmlToMarkdown(html).markdown, title: coreTitle(zip) };
}

/** The title in the document's properties (docProps/core.xml), which Word fills in from File › Info. */
function coreTitle(zip: ZipArchive): string | undefined {
  if (!zip.has("docProps/core.xml")) return undefined;
  return elements(zip.text("docProps/core.xml"), "title")[0]?.text || undefined;
}
