import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { readPdf } from "../../main/library/ingest/pdf.js";
import { Library } from "../../main/library/library.js";
import { entriesOf, printPdfs, withScriptAndForm, writeDocx, writeEpub, zip } from "../fixtures/documents.js";
import { ROOT, runCli, tempDir, writeFiles } from "../helpers.js";

const open: Library[] = [];
afterEach(async () => {
  for (const lib of open.splice(0)) await lib.close().catch(() => undefined);
});

async function indexFolder(files: Record<string, string | Uint8Array>) {
  const root = fs.realpathSync(tempDir());
  const notes = path.join(root, "notes");
  fs.mkdirSync(notes);
  writeFiles(notes, files);
  const lib = Library.open(path.join(root, "lib.db"), { threads: 2 });
  open.push(lib);
  const summary = await lib.index({ folders: [notes] });
  const status = (name: string) => lib.file(path.join(notes, name));
  return { lib, notes, summary, status };
}

// A loopback server that counts requests: a script in a document that ran would call it.
let requests = 0;
let server: http.Server;
let beacon = "";
beforeAll(async () => {
  server = http.createServer((_, res) => {
    requests++;
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  beacon = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ran`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// A real page of Git's manual (from ../shared/corpora), kept beside the tests so they need nothing outside the clone.
const GIT_REBASE = fs.readFileSync(path.join(ROOT, "test/fixtures/html/git-rebase.html"), "utf8");

describe("PDF", () => {
  let rebase: Buffer;
  let twoThousand: Buffer;
  let imageOnly: Buffer;
  let hyphenated: Buffer;
  beforeAll(async () => {
    const pages = Array.from({ length: 2000 }, (_, i) => `<div style="page-break-after: always">Page ${i + 1} mentions the ledger${i + 1}</div>`).join("");
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="teal"/></svg>').toString("base64");
    [rebase, twoThousand, imageOnly, hyphenated] = (await printPdfs([
      GIT_REBASE,
      `<html><body>${pages}</body></html>`,
      `<html><body><img src="data:image/svg+xml;base64,${svg}"></body></html>`,
      // A narrow column with hyphens where the words were broken, as a typesetter breaks them.
      `<html><body><p style="width: 12em; font-size: 14pt">The lighthouse keeper wrote about the extra-<br>ordinary storm and its unpre-<br>dictable waves, then the to-be-<br>repaired jetty.</p></body></html>`,
    ])) as [Buffer, Buffer, Buffer, Buffer];
  }, 60_000);

  it("indexes a printed manual page by page: citations carry the page, and the text reads in order", async () => {
    const { lib, summary } = await indexFolder({ "git-rebase.pdf": rebase, "note.md": "# A note\n\nabout rebasing\n" });
    expect(summary.failed).toEqual([]);
    expect(summary.indexed).toBe(2);
    const text = await readPdf(rebase);
    const page = text.kind === "pages" ? text.pages.findIndex((p) => p.includes("to pretend that you forked")) + 1 : 0;
    expect(page).toBeGreaterThan(1);
    const [hit] = lib.search("pretend that you forked the topic branch", { k: 1, filters: { formats: ["pdf"] } });
    expect(hit).toMatchObject({ format: "pdf", title: "git-rebase(1)", page });
    expect(lib.chunkTexts([hit!.chunkId]).get(hit!.chunkId)).toContain("to pretend that you forked");
    // Every chunk of the PDF is on one page, in page order.
    const chunks = lib.database.prepare("SELECT c.page, c.line_start AS lineStart FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.format = 'pdf' ORDER BY c.ordinal").all() as Array<{ page: number; lineStart: number }>;
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.map((c) => c.page)).toEqual([...chunks.map((c) => c.page)].sort((a, b) => a - b));
    expect(new Set(chunks.map((c) => c.page)).size).toBe(24);
    // A Markdown note has no page.
    expect(lib.search("rebasing note", { k: 5, filters: { formats: ["markdown"] } })[0]!.page).toBeNull();
  });

  it("shows the preview the PDF's text with the line where each page starts", async () => {
    const { lib, status } = await indexFolder({ "git-rebase.pdf": rebase });
    const hit = lib.search("ORIG_HEAD reflog", { k: 1 })[0]!;
    const note = await lib.noteText(status("git-rebase.pdf")!);
    expect(note.kind).toBe("note");
    if (note.kind !== "note") return;
    expect(note.pages).toHaveLength(24);
    const lines = note.markdown.split("\n");
    const pageStart = note.pages![hit.page! - 1]!;
    const nextStart = note.pages![hit.page!] ?? lines.length + 1;
    expect(hit.lineStart).toBeGreaterThanOrEqual(pageStart);
    expect(hit.lineEnd).toBeLessThan(nextStart);
    expect(lines.slice(hit.lineStart - 1, hit.lineEnd).join("\n")).toContain("ORIG_HEAD");
  });

  it("draws a page for the preview: the page as printed, at the width asked for", async () => {
    const { lib, status } = await indexFolder({ "git-rebase.pdf": rebase, "scan.pdf": imageOnly });
    const image = await lib.pageImage(status("git-rebase.pdf")!, 2, 600);
    if (image.kind !== "image") throw new Error(image.reason);
    expect(image).toMatchObject({ width: 600, pages: 24 });
    // Chromium prints on A4.
    expect(image.height / image.width).toBeCloseTo(297 / 210, 2);
    const pixels = await decodePng(image.png, image.width, image.height);
    // Text: inked pixels on white paper, a small share of the page.
    const inked = countPixels(pixels, (r, g, b) => r + g + b < 450);
    expect(inked / (image.width * image.height)).toBeGreaterThan(0.01);
    expect(countPixels(pixels, (r, g, b) => r + g + b > 750) / (image.width * image.height)).toBeGreaterThan(0.7);
    // A page with an image and no text draws its image.
    const scan = await lib.pageImage({ ...status("scan.pdf")!, status: "indexed" }, 1, 400);
    if (scan.kind !== "image") throw new Error(scan.reason);
    expect(countPixels(await decodePng(scan.png, scan.width, scan.height), (r, g, b) => g > 100 && b > 100 && r < 60)).toBeGreaterThan(1000);
    expect(await lib.pageImage(status("git-rebase.pdf")!, 99, 600)).toEqual({ kind: "unreadable", reason: "its page 99 could not be drawn: it has 24 pages, not 99" });
  });

  it("joins words hyphenated across lines, keeping a compound's hyphen", async () => {
    const text = await readPdf(hyphenated);
    expect(text.kind).toBe("pages");
    if (text.kind !== "pages") return;
    const joined = text.pages.join(" ").replace(/\s+/g, " ");
    expect(joined).toContain("extraordinary storm");
    expect(joined).toContain("unpredictable waves");
    expect(joined).toContain("to-be-repaired jetty");
  });

  it("indexes a 2,000-page PDF, a chunk per page, within the time limit", async () => {
    const started = Date.now();
    const { lib, summary } = await indexFolder({ "long.pdf": twoThousand });
    expect(summary.failed).toEqual([]);
    expect(summary.skipped).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(lib.search("ledger1999", { k: 1 })[0]).toMatchObject({ page: 1999 });
    expect(summary.chunks).toBe(2000);
  }, 90_000);

  it("skips a PDF past the page limit without reading its pages", async () => {
    expect(await readPdf(twoThousand, { maxPages: 1000, maxMs: 60_000, maxChars: 1e7 })).toEqual({ kind: "skipped", reason: "too many pages (2000; the limit is 1000)" });
    expect(await readPdf(twoThousand, { maxPages: 5000, maxMs: 60_000, maxChars: 1000 })).toMatchObject({ kind: "skipped", reason: expect.stringMatching(/^too much text/) });
  });

  it("skips a PDF with no text layer, an encrypted one with its reason, fails corrupt and truncated ones, and indexes the rest", async () => {
    const fixtures = path.join(ROOT, "test/fixtures/pdf");
    const { lib, summary, status } = await indexFolder({
      "scan.pdf": imageOnly,
      // qpdf --encrypt secret owner-secret 256 (a user password is needed to open it)
      "locked.pdf": fs.readFileSync(path.join(fixtures, "encrypted-user.pdf")),
      // qpdf --encrypt "" owner-secret 256 --print=none --modify=none (opens without one)
      "restricted.pdf": fs.readFileSync(path.join(fixtures, "encrypted-owner.pdf")),
      "corrupt.pdf": Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(4096, 0x41)]),
      "truncated.pdf": rebase.subarray(0, rebase.length >> 2),
      "empty.pdf": Buffer.alloc(0),
      "good.pdf": rebase,
    });
    expect(status("scan.pdf")).toMatchObject({ status: "skipped", reason: "no text layer (scanned?)" });
    expect(status("locked.pdf")).toMatchObject({ status: "skipped", reason: "encrypted: it needs a password to open" });
    expect(status("restricted.pdf")).toMatchObject({ status: "indexed" });
    expect(lib.search("quartermaster harbour ledger", { k: 1 })[0]?.path).toBe(status("restricted.pdf")!.path);
    expect(status("corrupt.pdf")).toMatchObject({ status: "failed", reason: expect.stringMatching(/^could not be read as pdf: /) });
    expect(status("truncated.pdf")).toMatchObject({ status: "failed", reason: expect.stringMatching(/^could not be read as pdf: /) });
    expect(status("empty.pdf")).toMatchObject({ status: "skipped", reason: "empty file" });
    expect(status("good.pdf")).toMatchObject({ status: "indexed" });
    expect(summary.failed).toHaveLength(2);
  });

  it("never runs a PDF's JavaScript and does not index its form fields' code", async () => {
    requests = 0;
    const scripted = withScriptAndForm(rebase, `app.launchURL("${beacon}"); this.submitForm("${beacon}"); var marker = "zyxscriptword";`, "formfieldvalue");
    const { lib, status } = await indexFolder({ "scripted.pdf": scripted });
    expect(status("scripted.pdf")).toMatchObject({ status: "indexed" });
    expect(lib.search("interactive rebase", { k: 1 })[0]?.format).toBe("pdf");
    expect(lib.search("zyxscriptword", { k: 1 })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(0);
  });
});

describe("Word documents", () => {
  const content = {
    title: "Harbour procedures",
    heading: "Mooring the ferry",
    paragraph: "Tie the bowline before the stern line whenever the tide turns.",
    items: ["Check the fenders", "Signal the pilot"],
    table: [
      ["Berth", "Depth"],
      ["North quay", "12 m"],
    ],
  };

  it("become Markdown with their title, headings, lists and tables", async () => {
    const docx = await writeDocx(content);
    const { lib, status } = await indexFolder({ "procedures.docx": docx });
    expect(status("procedures.docx")).toMatchObject({ status: "indexed", format: "docx", title: "Harbour procedures" });
    const note = await lib.noteText(status("procedures.docx")!);
    if (note.kind !== "note") throw new Error(note.reason);
    expect(note.markdown).toContain("# Mooring the ferry");
    expect(note.markdown).toContain("## Steps");
    expect(note.markdown).toMatch(/^1\.\s+Check the fenders$/m);
    expect(note.markdown).toMatch(/^-\s+bullet Signal the pilot$/m);
    expect(note.markdown).toMatch(/\|\s*Berth\s*\|\s*Depth\s*\|/);
    expect(note.markdown).toMatch(/\|\s*North quay\s*\|\s*12 m\s*\|/);
    const [hit] = lib.search("bowline tide", { k: 1, filters: { formats: ["docx"] } });
    expect(hit).toMatchObject({ heading: "Mooring the ferry", page: null });
  });

  it("refuse zip bombs before inflating them, whatever their headers say, and the good files are still indexed", async () => {
    const real = entriesOf(await writeDocx(content));
    const bomb = (entry: Partial<Parameters<typeof zip>[0][number]>) =>
      zip(real.map((e) => (e.name === "word/document.xml" ? { ...e, ...entry, name: e.name } : e)));
    // 200 MB of spaces deflate to about 200 KB.
    const spaces = { bytes: deflateRawSync(Buffer.alloc(200 * 1024 * 1024, 0x20)), size: 200 * 1024 * 1024 };
    const ratio = { bytes: deflateRawSync(Buffer.alloc(32 * 1024 * 1024, 0x20)), size: 32 * 1024 * 1024 };
    const memoryBefore = process.memoryUsage().rss;
    const { summary, status } = await indexFolder({
      "honest-bomb.docx": bomb({ deflated: spaces }),
      "lying-bomb.docx": bomb({ deflated: spaces, declaredSize: 1024 * 1024 }),
      "ratio-bomb.docx": bomb({ deflated: ratio }),
      "not-a-zip.docx": "plain text, not a Word document",
      "good.docx": await writeDocx(content),
    });
    expect(status("honest-bomb.docx")).toMatchObject({ status: "skipped", reason: "word/document.xml would inflate to 200 MB; the limit is 64 MB" });
    expect(status("lying-bomb.docx")).toMatchObject({ status: "skipped", reason: "word/document.xml inflates to more than its header says (a zip bomb?)" });
    expect(status("ratio-bomb.docx")).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^word\/document\.xml would inflate \d+ times over \(a zip bomb\?\)$/) });
    expect(status("not-a-zip.docx")).toMatchObject({ status: "failed", reason: "could not be read as docx: it is not a zip archive" });
    expect(status("good.docx")).toMatchObject({ status: "indexed" });
    expect(summary.indexed).toBe(1);
    // Nothing near 200 MB was held: the workers are threads of this process.
    expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(150 * 1024 * 1024);
  }, 30_000);
});

describe("EPUB", () => {
  const chapter = (title: string | null, body: string, head = "") =>
    `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title>${head}</head><body>${title ? `<h1>${title}</h1>` : ""}${body}</body></html>`;

  it("reads the chapters in spine order with the book's title, naming a chapter without a heading from the contents", async () => {
    const book = writeEpub({
      title: "The Lighthouse Almanac",
      chapters: [
        { file: "one.xhtml", label: "Foghorns", xhtml: chapter("Foghorns", "<p>A foghorn sounds every thirty seconds in dense fog.</p>") },
        { file: "two.xhtml", label: "Lenses and lamps", xhtml: chapter(null, "<p>The Fresnel lens bends light into a beam.</p><ul><li>first order</li><li>second order</li></ul>") },
      ],
    });
    const { lib, status } = await indexFolder({ "almanac.epub": book });
    expect(status("almanac.epub")).toMatchObject({ status: "indexed", format: "epub", title: "The Lighthouse Almanac" });
    const note = await lib.noteText(status("almanac.epub")!);
    if (note.kind !== "note") throw new Error(note.reason);
    expect(note.markdown.indexOf("# Foghorns")).toBeLessThan(note.markdown.indexOf("# Lenses and lamps"));
    expect(note.markdown).toMatch(/^-\s+second order$/m);
    expect(lib.search("Fresnel beam", { k: 1 })[0]).toMatchObject({ heading: "Lenses and lamps", format: "epub" });
  });

  it("reads its chapters as XHTML: a tag closed by itself hides nothing after it", async () => {
    const book = writeEpub({
      title: "Self-closing",
      chapters: [
        {
          file: "c.xhtml",
          label: "Currents",
          xhtml: chapter(null, '<div class="page" id="p4"/><p>Rip currents pull away from the shore.</p><a id="p5"/><p>Swim parallel to the beach.</p><script type="text/javascript" src="x.js"/><p>Then head back in.</p><script>zyxscript()</script>', "<title/>"),
        },
      ],
    });
    const { lib, status } = await indexFolder({ "currents.epub": book });
    expect(status("currents.epub")).toMatchObject({ status: "indexed" });
    const note = await lib.noteText(status("currents.epub")!);
    if (note.kind !== "note") throw new Error(note.reason);
    expect(note.markdown).toBe("# Currents\n\nRip currents pull away from the shore.\n\nSwim parallel to the beach.\n\nThen head back in.");
  });

  it("never runs a book's scripts nor indexes them, and bounds its entries", async () => {
    requests = 0;
    const script = `fetch("${beacon}"); document.write("zyxinjectedword");`;
    const scripted = writeEpub({
      title: "Scripted",
      chapters: [{ file: "c.xhtml", label: "Tides", xhtml: chapter("Tides", `<p>Spring tides follow the new moon.</p><script>${script}</script><p onclick='fetch("${beacon}")'>Neap tides are smaller.</p>`, `<script src="evil.js"></script>`) }],
      extra: [{ name: "OEBPS/evil.js", data: script }],
    });
    const bomb = writeEpub({
      title: "Bomb",
      chapters: [{ file: "c.xhtml", label: "Bomb", xhtml: chapter("Bomb", "<p>x</p>") }],
    });
    const bombEntries = entriesOf(bomb).map((e) =>
      e.name === "OEBPS/c.xhtml" ? { ...e, deflated: { bytes: deflateRawSync(Buffer.alloc(100 * 1024 * 1024, 0x20)), size: 100 * 1024 * 1024 } } : e,
    );
    const { lib, status } = await indexFolder({ "scripted.epub": scripted, "bomb.epub": zip(bombEntries.map((e) => (e.name === "mimetype" ? { ...e, store: true } : e))) });
    expect(status("scripted.epub")).toMatchObject({ status: "indexed" });
    expect(lib.search("neap tides", { k: 1 })[0]?.format).toBe("epub");
    expect(lib.search("zyxinjectedword", { k: 1 })).toEqual([]);
    expect(lib.search("fetch", { k: 1 })).toEqual([]);
    expect(status("bomb.epub")).toMatchObject({ status: "skipped", reason: "OEBPS/c.xhtml would inflate to 100 MB; the limit is 64 MB" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(0);
  });
});

describe("the command line", () => {
  it("takes --format pdf, docx and epub, and says a PDF passage's page in text and JSON", async () => {
    const [pdf] = await printPdfs([`<html><head><title>Tide tables</title></head><body><p>First page.</p><div style="page-break-before: always">The ebb current peaks two hours after high water.</div></body></html>`]);
    const root = fs.realpathSync(tempDir());
    writeFiles(path.join(root, "notes"), { "tides.pdf": pdf!, "tides.md": "# Tides\n\nThe ebb current in the notes.\n" });
    const db = path.join(root, "lib.db");
    expect((await runCli(["index", path.join(root, "notes"), "--db", db])).code).toBe(0);
    const json = await runCli(["search", "ebb current", "--db", db, "--json", "--format", "pdf", "--format", "docx", "--format", "epub"]);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ path: path.join(root, "notes", "tides.pdf"), title: "Tide tables", page: 2 })]);
    const markdown = await runCli(["search", "ebb current", "--db", db, "--json", "--format", "markdown"]);
    expect(JSON.parse(markdown.stdout)[0]).not.toHaveProperty("page");
    const text = await runCli(["search", "ebb current", "--db", db, "--format", "pdf"]);
    expect(text.stdout).toContain(`${path.join(root, "notes", "tides.pdf")}, p. 2`);
    const bad = await runCli(["search", "ebb", "--db", db, "--format", "odt"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be one of markdown, text, html, pdf, docx, epub");
  });
});

/** A PNG's pixels as RGBA, through the canvas pdf.js draws with. */
async function decodePng(png: Uint8Array, width: number, height: number): Promise<Uint8ClampedArray> {
  const image = await loadImage(Buffer.from(png));
  const context = createCanvas(width, height).getContext("2d");
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, width, height).data;
}

function countPixels(rgba: Uint8ClampedArray, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (test(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!)) n++;
  return n;
}
