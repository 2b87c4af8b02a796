// Search in a mode: the lexical index, the vectors, or both fused.
import type { SearchMode, SearchResult } from "../../shared/library.js";
import { describeSqliteError } from "./errors.js";
import { fuse } from "./fusion.js";
import { clampK, type Searcher, type SearchOptions } from "./search.js";
import type { Embeddings } from "./vectors/embeddings.js";
import { SEMANTIC_FLOOR, type VectorIndex } from "./vectors/vector-index.js";

export interface QueryOptions extends SearchOptions {
  /** "auto" (the default): hybrid where the library's embedding model has vectors, else lexical. */
  mode?: SearchMode | "auto";
  signal?: AbortSignal;
}

/** The retrievers and the library's database access (its calls map SQLite's errors to the library's). */
export interface Retrievers {
  searcher: Searcher;
  vectorIndex: VectorIndex;
  embeddings: Embeddings;
  dbPath: string;
  dbCall<T>(fn: () => T): T;
}

/**
 * How deep each retriever's ranking goes before fusion: a chunk ranked 50th by one retriever and
 * 3rd by the other still reaches the top ten, and deeper lists change no top-ten place.
 */
const FUSION_DEPTH = 50;

/**
 * Search in a mode: lexical, semantic (the query's vector against the chunks', the nearest
 * whatever they are), or hybrid (both, fused by weighted RRF, where a chunk only the vectors found
 * must stand SEMANTIC_FLOOR above the library's background). Filters apply to both retrievers.
 * An automatic search whose embedding model cannot be used falls back to lexical and says why in
 * `notice`; a semantic or hybrid one asked for by name fails with the model's error.
 */
export async function runQuery(r: Retrievers, text: string, options: QueryOptions = {}): Promise<SearchResult> {
  const k = clampK(options.k);
  const filters = options.filters ?? {};
  const requested = options.mode ?? "auto";
  const lexical = (notice: string | null): SearchResult => ({ mode: "lexical", hits: r.dbCall(() => r.searcher.search(text, { k, filters })), notice });
  if (requested === "lexical" || (requested === "auto" && !r.dbCall(() => r.embeddings.hasVectors()))) return lexical(null);
  if (!text.trim()) return { mode: requested === "auto" ? "hybrid" : requested, hits: [], notice: null };
  let query: Awaited<ReturnType<Embeddings["queryVector"]>>;
  try {
    query = await r.embeddings.queryVector(text, options.signal);
  } catch (error) {
    if (requested !== "auto" || options.signal?.aborted) throw describeSqliteError(error, r.dbPath) ?? error;
    return lexical(`Search fell back to lexical: ${(error as Error).message}`);
  }
  const mode = requested === "auto" ? "hybrid" : requested;
  return r.dbCall(() => {
    const documents = r.searcher.documentIds(filters);
    const semantic = r.vectorIndex.search(query.model, query.vector, { n: mode === "semantic" ? k : Math.max(k, FUSION_DEPTH), documents });
    // A chunk only the vectors found counts in hybrid search where it stands out of the library.
    const weak = new Set(semantic.filter((h) => h.lift < SEMANTIC_FLOOR).map((h) => h.chunkId));
    const ranked =
      mode === "semantic"
        ? semantic.map((h, i) => ({ id: h.chunkId, score: h.score, retrievers: { lexical: null, semantic: i + 1 } }))
        : fuse(r.searcher.lexical(text, Math.max(k, FUSION_DEPTH), filters).map((x) => x.id), semantic.map((h) => h.chunkId), Infinity)
            .filter((x) => x.retrievers.lexical !== null || !weak.has(x.id))
            .slice(0, k);
    return { mode, hits: r.searcher.hits(text, ranked.map((x) => ({ ...x, score: Math.round(x.score * 1e6) / 1e6 }))), notice: null };
  });
}
