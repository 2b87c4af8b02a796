import type { EmbeddingProgress, IndexProgress, IndexSummary, SearchHit } from "../../shared/library.js";
import { fileAndPlace, sourceLabel } from "../../shared/source-label.js";
import { terminalText } from "./terminal-text.js";

const MB = 1024 * 1024;

/** One redrawn line on stderr, only for a terminal. */
export function progressBar(stream: NodeJS.WriteStream): ((p: IndexProgress) => void) & { end(): void } {
  let last = 0;
  let drawn = false;
  const draw = (p: IndexProgress) => {
    const now = Date.now();
    if (!stream.isTTY || (p.phase === "indexing" && now - last < 100)) return;
    last = now;
    drawn = true;
    if (p.phase === "scanning") {
      stream.write("\r\x1b[KScanning folders…");
      return;
    }
    const width = 28;
    const ratio = p.filesTotal ? p.filesDone / p.filesTotal : 1;
    const filled = Math.round(ratio * width);
    stream.write(
      `\r\x1b[K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${p.filesDone}/${p.filesTotal} files · ${(p.bytesDone / MB).toFixed(1)}/${(p.bytesTotal / MB).toFixed(1)} MB`,
    );
  };
  return Object.assign(draw, {
    end: () => {
      if (drawn) stream.write("\r\x1b[K");
    },
  });
}

export function formatSummary(s: IndexSummary): string {
  const lines = [
    `${s.files} files: ${s.indexed} indexed, ${s.unchanged} unchanged, ${s.skipped.length} skipped, ${s.failed.length} failed; ${s.chunks} chunks (${(s.ms / 1000).toFixed(1)} s).`,
  ];
  for (const f of s.skipped) lines.push(`  skipped ${JSON.stringify(f.path)}: ${f.reason}`);
  for (const f of s.failed) lines.push(`  failed  ${JSON.stringify(f.path)}: ${f.error}`);
  return terminalText(lines.join("\n"));
}

/** A hit for the terminal: matched words in bold on a TTY, in [brackets] elsewhere; the note's own text is never a control sequence. */
export function formatHit(hit: SearchHit, rank: number, tty: boolean): string {
  let snippet = "";
  let cursor = 0;
  for (const [start, end] of hit.highlights) {
    const word = terminalText(hit.snippet.slice(start, end));
    snippet += terminalText(hit.snippet.slice(cursor, start)) + (tty ? `\x1b[1m${word}\x1b[22m` : `[${word}]`);
    cursor = end;
  }
  snippet += terminalText(hit.snippet.slice(cursor));
  return `${rank}. ${terminalText(sourceLabel(hit))}\n   ${terminalText(fileAndPlace(hit))}  (score ${hit.score}; ${formatRetrievers(hit.retrievers)})\n   ${snippet}`;
}

/** The CLI's JSON shape of a hit: the documented fields plus the highlight offsets and the retrievers' ranks; a PDF's page. */
export function hitJson(hit: SearchHit) {
  const { path, title, heading, lineStart, lineEnd, page, score, snippet, highlights, retrievers } = hit;
  return { path, title, heading, lineStart, lineEnd, ...(page === null ? {} : { page }), score, snippet, highlights, retrievers };
}

/** Which retrievers found a hit, for the terminal: "lexical #2, semantic #1". */
export function formatRetrievers({ lexical, semantic }: SearchHit["retrievers"]): string {
  return [lexical !== null && `lexical #${lexical}`, semantic !== null && `semantic #${semantic}`].filter(Boolean).join(", ");
}

/** Embedding progress as one redrawn line on stderr, only for a terminal. */
export function embeddingBar(stream: NodeJS.WriteStream): ((p: EmbeddingProgress) => void) & { end(): void } {
  let last = 0;
  let drawn = false;
  const draw = (p: EmbeddingProgress) => {
    const now = Date.now();
    if (!stream.isTTY || (p.phase === "embedding" && now - last < 100)) return;
    last = now;
    drawn = true;
    const width = 28;
    const filled = Math.round((p.total ? p.embedded / p.total : 1) * width);
    stream.write(`\r\x1b[K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${p.embedded}/${p.total} chunks embedded · ${terminalText(p.model)}`);
  };
  return Object.assign(draw, {
    end: () => {
      if (drawn) stream.write("\r\x1b[K");
    },
  });
}
