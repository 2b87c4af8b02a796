import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import type { IndexSummary } from "../../shared/library.js";
import { htmlToMarkdown } from "../../main/library/ingest/html.js";
import { Library } from "../../main/library/library.js";
import { filesOfFormat, HTML_DOCS } from "./corpora.js";
import { writeMarkdownCorpus } from "./generate.js";
import { mbPerS, median, round, timed } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

/** Indexes a folder into a fresh library, timing lib.index() alone (not opening or closing). */
async function ingestOnce(dbPath: string, folder: string, threads: number | undefined): Promise<{ summary: IndexSummary; ms: number }> {
  const lib = Library.open(dbPath, { threads });
  try {
    const { value, ms } = await timed(() => lib.index({ folders: [folder] }));
    return { summary: value, ms };
  } finally {
    await lib.close();
  }
}

function expectAllIndexed(summary: IndexSummary, files: number, what: string): void {
  if (summary.indexed !== files || summary.failed.length || summary.skipped.length) {
    const problems = [...summary.failed.map((f) => `${f.path}: ${f.error}`), ...summary.skipped.map((s) => `${s.path}: ${s.reason}`)];
    throw new Error(`${what}: indexed ${summary.indexed} of ${files} files. ${problems.slice(0, 5).join("; ")}`);
  }
}

export function removeDb(dbPath: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbPath + suffix, { force: true });
}

/**
 * The baseline: the same chunk texts into a bare FTS5 table with the default tokenizer, in one
 * transaction, with the library's journal settings so that only the work differs.
 */
export function rawFtsInsert(dbPath: string, texts: string[]): number {
  const db = new Database(dbPath);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body)");
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    const started = performance.now();
    db.transaction(() => {
      for (const text of texts) insert.run(text);
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

export async function markdownBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const notes = path.join(ctx.tmp, "notes");
  const written = writeMarkdownCorpus(notes, config.markdownMb * 1e6);
  const corpusMb = round(written.bytes / 1e6, 1);
  ctx.log(`wrote ${written.files} Markdown notes, ${corpusMb} MB`);

  const ingestMs: number[] = [];
  let lastDb = "";
  let summary: IndexSummary | undefined;
  for (let run = 0; run < config.repeat; run++) {
    if (lastDb) removeDb(lastDb);
    lastDb = path.join(ctx.tmp, `library-${run}.sqlite`);
    const result = await ingestOnce(lastDb, notes, config.threads);
    expectAllIndexed(result.summary, written.files, "Markdown ingest");
    summary = result.summary;
    ingestMs.push(result.ms);
    ctx.log(`ingest run ${run + 1}: ${(result.ms / 1000).toFixed(2)} s, ${mbPerS(written.bytes, result.ms).toFixed(1)} MB/s`);
  }

  const source = new Database(lastDb, { readonly: true });
  const texts = source.prepare("SELECT text FROM chunks ORDER BY id").pluck().all() as string[];
  source.close();
  const chunkBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const rawMs: number[] = [];
  for (let run = 0; run < config.repeat; run++) {
    const rawDb = path.join(ctx.tmp, `raw-${run}.sqlite`);
    rawMs.push(rawFtsInsert(rawDb, texts));
    removeDb(rawDb);
  }
  ctx.log(`raw FTS5 insert: ${rawMs.map((ms) => mbPerS(chunkBytes, ms).toFixed(1)).join(", ")} MB/s`);

  const ingest = mbPerS(written.bytes, median(ingestMs));
  const raw = mbPerS(chunkBytes, median(rawMs));
  return {
    rows: [
      { what: `Markdown ingest, ${corpusMb} MB in ${written.files} notes`, value: ingest, unit: "MB/s", digits: 1 },
      { what: `raw FTS5 insert of its ${texts.length} chunk texts`, value: raw, unit: "MB/s", digits: 1 },
      { what: "Markdown ingest ÷ raw FTS5 insert", value: ingest / raw, unit: "", digits: 2, target: { op: ">=", value: 0.5 } },
    ],
    details: {
      files: written.files,
      fileBytes: written.bytes,
      chunks: summary?.chunks,
      chunkTextBytes: chunkBytes,
      ingestMs: ingestMs.map((ms) => round(ms)),
      ingestMbPerS: ingestMs.map((ms) => round(mbPerS(written.bytes, ms))),
      libraryReportedMs: summary?.ms,
      rawInsertMs: rawMs.map((ms) => round(ms)),
      rawMbPerS: rawMs.map((ms) => round(mbPerS(chunkBytes, ms))),
    },
  };
}

export async function htmlBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const files = filesOfFormat(HTML_DOCS, "html");
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const pages = files.map((file) => fs.readFileSync(file, "utf8"));
  const corpusMb = round(bytes / 1e6, 1);

  // The converter the ingest workers run, on one thread, with the pages already in memory.
  const turndownMs: number[] = [];
  for (let run = 0; run < config.repeat; run++) {
    const started = performance.now();
    for (const page of pages) htmlToMarkdown(page);
    turndownMs.push(performance.now() - started);
  }
  ctx.log(`turndown alone: ${turndownMs.map((ms) => mbPerS(bytes, ms).toFixed(1)).join(", ")} MB/s`);

  const ingestMs: number[] = [];
  let summary: IndexSummary | undefined;
  for (let run = 0; run < config.repeat; run++) {
    const dbPath = path.join(ctx.tmp, `library-${run}.sqlite`);
    const result = await ingestOnce(dbPath, HTML_DOCS, config.threads);
    removeDb(dbPath);
    expectAllIndexed(result.summary, files.length, "HTML ingest");
    summary = result.summary;
    ingestMs.push(result.ms);
  }
  ctx.log(`HTML ingest: ${ingestMs.map((ms) => mbPerS(bytes, ms).toFixed(1)).join(", ")} MB/s`);

  const turndown = mbPerS(bytes, median(turndownMs));
  const ingest = mbPerS(bytes, median(ingestMs));
  return {
    rows: [
      { what: `turndown alone, 1 thread, git-htmldocs ${corpusMb} MB`, value: turndown, unit: "MB/s", digits: 1 },
      { what: `HTML ingest end to end, git-htmldocs ${files.length} pages`, value: ingest, unit: "MB/s", digits: 1, target: { op: ">=", value: 10 } },
    ],
    details: {
      files: files.length,
      bytes,
      chunks: summary?.chunks,
      turndownMs: turndownMs.map((ms) => round(ms)),
      turndownMbPerS: turndownMs.map((ms) => round(mbPerS(bytes, ms))),
      ingestMs: ingestMs.map((ms) => round(ms)),
      ingestMbPerS: ingestMs.map((ms) => round(mbPerS(bytes, ms))),
      htmlIngestOverTurndown: round(ingest / turndown),
    },
  };
}
