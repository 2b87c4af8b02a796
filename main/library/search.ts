import type Database from "better-sqlite3";
import path from "node:path";
import type { Retrievers, SearchFilters, SearchHit } from "../../shared/library.js";
import { normalizeTag } from "./ingest/obsidian.js";
import { queryTerms, tokenize } from "./text/analyze.js";
import type { ChunkRow, Store } from "./store.js";

/** bm25 weights of the FTS5 columns (title, heading, body): a word in a title says more. */
const WEIGHTS = [4, 2, 1] as const;
/** A pasted page must not become a query with thousands of ORs. */
const MAX_QUERY_TERMS = 48;
const SNIPPET_CHARS = 240;

export interface SearchOptions {
  k?: number;
  filters?: SearchFilters;
}

/**
 * Terms in at least this share of the chunks ("the", "в", "what") are left out of the first
 * query. Their IDF is small, so they barely change the ranking, but FTS5 scores every row they
 * match and walks their whole posting lists. Measured on xquad: 10% keeps nDCG@10 within 0.001
 * and brings search at 100k chunks from 41 ms to 13 ms (p95).
 */
const COMMON_TERM_SHARE = 0.1;

export interface BuiltQuery {
  /** An FTS5 MATCH expression, or null when the text has no searchable words. */
  match: string | null;
  /** The same with every term, when common ones were left out of `match`. */
  fullMatch: string | null;
  terms: string[];
}

const toMatch = (terms: string[]) => terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(" OR ");

/**
 * Turns anything typed into a query that FTS5 cannot reject: every term is a quoted string, so
 * quotes, `*`, NEAR, column filters, parentheses and AND/OR/NOT are just words. Common terms are
 * left out while a rarer term that the index holds remains.
 */
export function buildQuery(text: string, frequencies: (terms: string[]) => Map<string, number>, totalChunks: number): BuiltQuery {
  const terms = queryTerms(text, MAX_QUERY_TERMS);
  if (!terms.length) return { match: null, fullMatch: null, terms };
  const df = frequencies(terms);
  const rare = terms.filter((t) => (df.get(t) ?? 0) < COMMON_TERM_SHARE * totalChunks);
  const pruned = rare.length < terms.length && rare.some((t) => (df.get(t) ?? 0) > 0);
  return { match: toMatch(pruned ? rare : terms), fullMatch: pruned ? toMatch(terms) : null, terms };
}

/** A chunk ranked by the retrievers, before it becomes a hit. */
export interface RankedChunk {
  id: number;
  score: number;
  retrievers: Retrievers;
}

export class Searcher {
  private totalChunks: number | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly store: Store,
  ) {}

  /** The chunk count changes with every write; it is read again on the next search. */
  invalidate(): void {
    this.totalChunks = undefined;
  }

  search(text: string, options: SearchOptions = {}): SearchHit[] {
    const k = clampK(options.k);
    const ranked = this.lexical(text, k, options.filters ?? {});
    return this.hits(
      text,
      ranked.map((r, i) => ({ id: r.id, score: Math.round(r.score * 1000) / 1000, retrievers: { lexical: i + 1, semantic: null } })),
    );
  }

  /** The best `n` chunks by BM25, higher score first. */
  lexical(text: string, n: number, filters: SearchFilters): Array<{ id: number; score: number }> {
    this.totalChunks ??= this.store.chunkCount();
    const query = buildQuery(text, (terms) => this.store.documentFrequencies(terms), this.totalChunks);
    if (!query.match) return [];
    let ranked = this.rank(query.match, n, filters);
    // Too few hits without the common terms: they are needed to find anything more at all.
    if (ranked.length < n && query.fullMatch) ranked = this.rank(query.fullMatch, n, filters);
    return ranked.map(({ id, score }) => ({ id, score: -score }));
  }

  /** The documents the filters let through, or undefined when there are no filters. */
  documentIds(filters: SearchFilters): Set<number> | undefined {
    const { where, params } = filterClauses(filters);
    if (!where.length) return undefined;
    const rows = this.db.prepare(`SELECT d.id FROM documents d WHERE ${where.join(" AND ")}`).all(params) as Array<{ id: number }>;
    return new Set(rows.map((r) => r.id));
  }

  /** Hits for ranked chunks, in their order, with the query's words marked in each snippet. */
  hits(text: string, ranked: readonly RankedChunk[]): SearchHit[] {
    const rows = new Map(this.store.chunksByIds(ranked.map((r) => r.id)).map((row) => [row.id, row]));
    const terms = new Set(queryTerms(text, MAX_QUERY_TERMS));
    return ranked.flatMap(({ id, score, retrievers }) => {
      const row = rows.get(id);
      return row ? [toHit(row, score, terms, retrievers)] : [];
    });
  }

  private rank(match: string, k: number, filters: SearchFilters): Array<{ id: number; score: number }> {
    const { where, params } = filterClauses(filters);
    const filtered = where.length > 0;
    const sql = `
      SELECT f.rowid AS id, bm25(chunks_fts, ${WEIGHTS.join(", ")}) AS score
      FROM chunks_fts f
      ${filtered ? "JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id" : ""}
      WHERE ${["chunks_fts MATCH @match", ...where].join(" AND ")}
      ORDER BY score LIMIT @k`;
    return this.db.prepare(sql).all({ ...params, match, k }) as Array<{ id: number; score: number }>;
  }
}

export const clampK = (k: number | undefined) => Math.max(1, Math.min(k ?? 10, 200));

/** The filters as conditions on the documents table `d`. */
function filterClauses(filters: SearchFilters): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const folder = filters.folder && withTrailingSeparator(path.resolve(filters.folder));
  if (folder) {
    where.push("substr(d.path, 1, length(@folder)) = @folder");
    params.folder = folder;
  }
  if (filters.pathPrefix) {
    where.push("substr(d.path, 1, length(@prefix)) = @prefix");
    params.prefix = path.resolve(filters.pathPrefix) + (filters.pathPrefix.endsWith(path.sep) ? path.sep : "");
  }
  if (filters.formats?.length) {
    where.push("d.format IN (SELECT value FROM json_each(@formats))");
    params.formats = JSON.stringify(filters.formats);
  }
  // Every tag given, each matching itself or a tag nested under it.
  filters.tags?.map(normalizeTag).forEach((tag, i) => {
    where.push(`EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND (t.tag = @tag${i} OR substr(t.tag, 1, length(@tag${i}) + 1) = @tag${i} || '/'))`);
    params[`tag${i}`] = tag;
  });
  return { where, params };
}

function withTrailingSeparator(p: string): string {
  return p.endsWith(path.sep) ? p : p + path.sep;
}

function toHit(row: ChunkRow, score: number, terms: Set<string>, retrievers: Retrievers): SearchHit {
  const headingPath = JSON.parse(row.headingPath) as string[];
  const { snippet, highlights } = makeSnippet(row.text, terms);
  return {
    chunkId: row.id,
    path: row.path,
    title: row.title,
    heading: headingPath.join(" › "),
    format: row.format,
    lineStart: row.lineStart,
    lineEnd: row.lineEnd,
    page: row.page,
    score,
    snippet,
    highlights,
    retrievers,
  };
}

/**
 * A window of the original text around the densest cluster of query words, with those words
 * highlighted where they stand in the original, not in their stemmed form.
 */
export function makeSnippet(text: string, terms: Set<string>, maxChars = SNIPPET_CHARS): { snippet: string; highlights: Array<[number, number]> } {
  const matches: Array<{ start: number; end: number; term: string }> = [];
  for (const token of tokenize(text)) if (terms.has(token.term)) matches.push(token);

  // The window that covers the most distinct terms, then the most matches.
  let bestFrom = 0;
  let bestScore = -1;
  for (let i = 0; i < matches.length; i++) {
    const seen = new Set<string>();
    let count = 0;
    for (let j = i; j < matches.length && matches[j]!.end - matches[i]!.start <= maxChars; j++) {
      seen.add(matches[j]!.term);
      count++;
    }
    const score = seen.size * 1000 + count;
    if (score > bestScore) {
      bestScore = score;
      bestFrom = matches[i]!.start;
    }
  }
  let from = Math.max(0, bestFrom - Math.floor(maxChars / 4));
  let to = Math.min(text.length, from + maxChars);
  from = Math.max(0, Math.min(from, to - maxChars));
  if (from > 0) {
    const space = text.indexOf(" ", from);
    if (space !== -1 && space < bestFrom) from = space + 1;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(" ", to);
    if (space > from) to = space;
  }

  // Collapse whitespace and drop Markdown heading and quote markers piece by piece, so highlight offsets
  // stay exact; the heading path is shown beside the snippet anyway.
  let snippet = from > 0 ? "…" : "";
  const highlights: Array<[number, number]> = [];
  let cursor = from;
  const append = (start: number, end: number) => {
    let piece = text.slice(start, end).replace(/\n[ \t]*(?:#{1,6}[ \t]+|(?:>[ \t]?)+)/g, "\n");
    if (start === 0 || text[start - 1] === "\n") piece = piece.replace(/^[ \t]*(?:#{1,6}[ \t]+|(?:>[ \t]?)+)/, "");
    snippet += piece.replace(/\s+/g, " ");
  };
  for (const m of matches) {
    if (m.start < from || m.end > to) continue;
    append(cursor, m.start);
    const start = snippet.length;
    append(m.start, m.end);
    highlights.push([start, snippet.length]);
    cursor = m.end;
  }
  append(cursor, to);
  if (to < text.length) snippet += "…";
  return { snippet, highlights };
}
