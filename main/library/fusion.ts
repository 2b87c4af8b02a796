import type { Retrievers } from "../../shared/library.js";
import type { RankedChunk } from "./search.js";

/** Reciprocal-rank fusion's constant (Cormack et al., 2009): rank 1 and rank 10 differ by a seventh, not tenfold. */
export const RRF_K = 60;

/**
 * Each retriever's weight. Equal: the issue's held-out questions show the lexical ranking misses
 * paraphrases while the semantic one, as its models' MTEB scores show, misses exact names and rare
 * words, and no weights could be measured here (no real embedding model's weights are reachable).
 * `search --batch --mode …` over a person's own questions is how to check them.
 */
export const RRF_WEIGHTS: Readonly<Record<keyof Retrievers, number>> = { lexical: 1, semantic: 1 };

/**
 * Weighted reciprocal-rank fusion: score = Σ weight / (RRF_K + rank) over the retrievers that
 * found the chunk. Ranks only, not scores: BM25 and cosine similarity are on unrelated scales.
 * Ties go to the better single rank, then the lower chunk id, so the order is stable.
 */
export function fuse(lexical: readonly number[], semantic: readonly number[], k: number, weights = RRF_WEIGHTS): RankedChunk[] {
  const fused = new Map<number, RankedChunk>();
  const add = (ids: readonly number[], retriever: keyof Retrievers) =>
    ids.forEach((id, i) => {
      const entry = fused.get(id) ?? { id, score: 0, retrievers: { lexical: null, semantic: null } };
      entry.score += weights[retriever] / (RRF_K + i + 1);
      entry.retrievers[retriever] = i + 1;
      fused.set(id, entry);
    });
  add(lexical, "lexical");
  add(semantic, "semantic");
  const best = (r: RankedChunk) => Math.min(r.retrievers.lexical ?? Infinity, r.retrievers.semantic ?? Infinity);
  return [...fused.values()].sort((a, b) => b.score - a.score || best(a) - best(b) || a.id - b.id).slice(0, k);
}
