import fs from "node:fs";
import path from "node:path";
import type { IndexSummary } from "../../shared/library.js";
import { readPdf } from "../../main/library/ingest/pdf.js";
import { Library } from "../../main/library/library.js";
import { printPdfs, writeDocx, writeEpub } from "../fixtures/documents.js";
import { filesOfFormat, headingOf, HTML_DOCS, paragraphPool, progitNotes, seededRandom } from "./corpora.js";
import { rawFtsInsert, removeDb } from "./ingest.js";
import { mbPerS, median, round, runCliJson, timed } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

/** The shape of a long-kept vault: 5,680 notes of 1 to 10 KB (34 MB), a hundred to a folder. */
const SMALL_NOTES = 5680;
const SMALL_NOTES_BYTES = 34e6;

function writeSmallNoteVault(dir: string): { files: string[]; bytes: number } {
  const pool = paragraphPool();
  const random = seededRandom(7);
  const files: string[] = [];
  let bytes = 0;
  for (let n = 0; n < SMALL_NOTES; n++) {
    // Sizes spread evenly around the mean, as people's notes are: some a line, some a page.
    const want = (SMALL_NOTES_BYTES / SMALL_NOTES) * (0.2 + 1.6 * random());
    let text = "";
    while (Buffer.byteLength(text) < want) {
      const paragraph = pool[Math.floor(random() * pool.length)]!;
      text += (text ? "" : `# ${headingOf(paragraph)}\n\n`) + `${paragraph}\n\n`;
    }
    const file = path.join(dir, `folder-${Math.floor(n / 100)}`, `note-${n}.md`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  return { files, bytes };
}

/**
 * Many small notes: the whole `sourcebook index` process (start, scan, read, parse, write, exit) on a
 * fresh library, against a bare FTS5 insert of the same files' text (already in memory, one
 * transaction, the default tokenizer), the two taking turns so that the machine's drift hits both.
 */
export async function smallNotesBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const vault = path.join(ctx.tmp, "vault");
  const written = writeSmallNoteVault(vault);
  const texts = written.files.map((file) => fs.readFileSync(file, "utf8"));
  ctx.log(`wrote ${written.files.length} small notes, ${round(written.bytes / 1e6, 1)} MB`);
  const indexMs: number[] = [];
  const rawMs: number[] = [];
  let summary: IndexSummary | undefined;
  for (let run = 0; run < config.repeat; run++) {
    const rawDb = path.join(ctx.tmp, `raw-${run}.sqlite`);
    rawMs.push(rawFtsInsert(rawDb, texts));
    removeDb(rawDb);
    const db = path.join(ctx.tmp, `library-${run}.sqlite`);
    const result = await runCliJson<IndexSummary>(["index", vault, "--db", db, "--json"]);
    removeDb(db);
    if (result.json.indexed !== written.files.length) throw new Error(`small notes: indexed ${result.json.indexed} of ${written.files.length}`);
    summary = result.json;
    indexMs.push(result.ms);
    ctx.log(`run ${run + 1}: index process ${(result.ms / 1000).toFixed(2)} s, raw insert ${(rawMs.at(-1)! / 1000).toFixed(2)} s`);
  }
  const index = mbPerS(written.bytes, median(indexMs));
  const raw = mbPerS(written.bytes, median(rawMs));
  return {
    rows: [
      { what: `small notes: sourcebook index, whole process, ${written.files.length} notes, ${round(written.bytes / 1e6, 1)} MB`, value: index, unit: "MB/s", digits: 1 },
      { what: "small notes: bare FTS5 insert of the same files' text", value: raw, unit: "MB/s", digits: 1 },
      { what: "small notes: index process ÷ bare FTS5 insert", value: index / raw, unit: "", digits: 2, target: { op: ">=", value: 0.35 } },
    ],
    details: { files: written.files.length, bytes: written.bytes, chunks: summary?.chunks, indexMs: indexMs.map((ms) => round(ms)), rawMs: rawMs.map((ms) => round(ms)) },
  };
}

/** PDF pages printed from the git manual: the largest pages, so that each PDF has many. */
const PDF_SOURCES = 24;
const DOCX_FILES = 120;
const EPUB_BOOKS = 12;

async function indexOnce(ctx: BenchContext, folder: string, run: number): Promise<{ summary: IndexSummary; ms: number }> {
  const db = path.join(ctx.tmp, `${path.basename(folder)}-${run}.sqlite`);
  const lib = Library.open(db, { threads: ctx.config.threads });
  try {
    const { value, ms } = await timed(() => lib.index({ folders: [folder] }));
    if (value.failed.length || value.skipped.length) throw new Error(`${folder}: ${JSON.stringify([...value.failed, ...value.skipped].slice(0, 3))}`);
    return { summary: value, ms };
  } finally {
    await lib.close();
    removeDb(db);
  }
}

/** Indexes a folder config.repeat times into fresh libraries; the median run. */
async function ingestRate(ctx: BenchContext, folder: string): Promise<{ ms: number; summary: IndexSummary }> {
  const runs: Array<{ ms: number; summary: IndexSummary }> = [];
  for (let run = 0; run < ctx.config.repeat; run++) runs.push(await indexOnce(ctx, folder, run));
  const ms = median(runs.map((r) => r.ms));
  return { ms, summary: runs[0]!.summary };
}

function folderBytes(folder: string): number {
  return (fs.readdirSync(folder, { recursive: true }) as string[]).reduce((sum, rel) => {
    const stat = fs.statSync(path.join(folder, rel));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

/**
 * PDF, Word and EPUB ingest through the library (lib.index() alone, as the Markdown benchmark times
 * it): PDFs printed by Chromium from the git manual, Word files written by `docx` and EPUBs laid out
 * by hand from the Pro Git book's sections, in MB/s of the files as they are on disk.
 */
export async function formatsBench(ctx: BenchContext): Promise<BenchOutput> {
  const pdfDir = path.join(ctx.tmp, "pdf");
  const docxDir = path.join(ctx.tmp, "docx");
  const epubDir = path.join(ctx.tmp, "epub");
  for (const dir of [pdfDir, docxDir, epubDir]) fs.mkdirSync(dir);

  const pages = filesOfFormat(HTML_DOCS, "html")
    .map((file) => ({ file, size: fs.statSync(file).size }))
    .sort((a, b) => b.size - a.size)
    .slice(0, PDF_SOURCES);
  const pdfs = await printPdfs(pages.map((p) => fs.readFileSync(p.file, "utf8")));
  pdfs.forEach((pdf, i) => fs.writeFileSync(path.join(pdfDir, `${path.basename(pages[i]!.file, ".html")}.pdf`), pdf));

  const sections = [...progitNotes("en"), ...progitNotes("ru")];
  const random = seededRandom(3);
  for (let n = 0; n < DOCX_FILES; n++) {
    const note = sections[Math.floor(random() * sections.length)]!;
    const paragraphs = note.markdown.split(/\n{2,}/).filter((p) => p.trim() && !p.startsWith("---"));
    const docx = await writeDocx({
      title: note.name,
      heading: headingOf(paragraphs[0] ?? note.name),
      paragraph: paragraphs.slice(1).join(" "),
      items: paragraphs.slice(1, 4).map((p) => p.slice(0, 120)),
      table: [
        ["Section", "Words"],
        [note.name, String(note.markdown.split(/\s+/).length)],
      ],
    });
    fs.writeFileSync(path.join(docxDir, `doc-${n}.docx`), docx);
  }
  const htmlSections = filesOfFormat(path.join(path.dirname(HTML_DOCS), "progit2-en"), "html");
  const perBook = Math.ceil(htmlSections.length / EPUB_BOOKS);
  for (let b = 0; b < EPUB_BOOKS; b++) {
    const chapters = htmlSections.slice(b * perBook, (b + 1) * perBook).map((file, i) => ({
      file: `c${i}.xhtml`,
      label: path.basename(file, ".html"),
      xhtml: `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${i}</title></head><body>${fs.readFileSync(file, "utf8").replace(/^---[\s\S]*?\n---\n/, "")}</body></html>`,
    }));
    fs.writeFileSync(path.join(epubDir, `book-${b}.epub`), writeEpub({ title: `Pro Git, part ${b + 1}`, chapters }));
  }

  const pdfBytes = folderBytes(pdfDir);
  const pdf = await ingestRate(ctx, pdfDir);
  const pageCount = await countPages(pdfDir);
  ctx.log(`PDF: ${pdfs.length} files, ${pageCount} pages, ${round(pdfBytes / 1e6, 1)} MB in ${(pdf.ms / 1000).toFixed(2)} s`);
  const docxBytes = folderBytes(docxDir);
  const docx = await ingestRate(ctx, docxDir);
  ctx.log(`DOCX: ${DOCX_FILES} files, ${round(docxBytes / 1e6, 1)} MB in ${(docx.ms / 1000).toFixed(2)} s`);
  const epubBytes = folderBytes(epubDir);
  const epub = await ingestRate(ctx, epubDir);
  ctx.log(`EPUB: ${EPUB_BOOKS} books, ${round(epubBytes / 1e6, 1)} MB in ${(epub.ms / 1000).toFixed(2)} s`);
  return {
    rows: [
      { what: `PDF ingest, ${pdfs.length} PDFs printed from the git manual (${pageCount} pages)`, value: pageCount / (pdf.ms / 1000), unit: "pages/s", digits: 0 },
      { what: `PDF ingest, the same ${round(pdfBytes / 1e6, 1)} MB`, value: mbPerS(pdfBytes, pdf.ms), unit: "MB/s", digits: 1 },
      { what: `DOCX ingest, ${DOCX_FILES} Word files, ${round(docxBytes / 1e6, 1)} MB`, value: mbPerS(docxBytes, docx.ms), unit: "MB/s", digits: 1 },
      { what: `EPUB ingest, ${EPUB_BOOKS} books, ${round(epubBytes / 1e6, 1)} MB`, value: mbPerS(epubBytes, epub.ms), unit: "MB/s", digits: 1 },
    ],
    details: { pdf: { files: pdfs.length, pages: pageCount, bytes: pdfBytes, ms: round(pdf.ms) }, docx: { files: DOCX_FILES, bytes: docxBytes, ms: round(docx.ms) }, epub: { books: EPUB_BOOKS, bytes: epubBytes, ms: round(epub.ms) } },
  };
}

/** Pages in the PDFs of a folder, as pdf.js counts them. */
async function countPages(dir: string): Promise<number> {
  let pages = 0;
  for (const file of fs.readdirSync(dir)) {
    const text = await readPdf(fs.readFileSync(path.join(dir, file)));
    if (text.kind === "pages") pages += text.pages.length;
  }
  return pages;
}
