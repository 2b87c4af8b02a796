import { codeWords, dotInt8, int8Of, popcount, toCode } from "./quantize.js";
import type { CodeTable, EmbeddingModelRow, VectorStore } from "./vector-store.js";

/**
 * Candidates the binary scan hands to exact rescoring. Measured by test/bench/vectors.ts on
 * 100k vectors of 1024 dimensions: see the README's Benchmarks for the recall this keeps.
 */
export const RESCORE_CANDIDATES = 256;

export interface VectorHit {
  chunkId: number;
  /** Cosine similarity with the query (vectors are unit length). */
  score: number;
}

export interface VectorSearchOptions {
  n: number;
  /** Only chunks of these documents; all of them when undefined. */
  documents?: ReadonlySet<number>;
  rescore?: number;
}

/**
 * Nearest chunks by cosine similarity: a scan of every vector's binary code in memory (Hamming
 * distance, 32 dimensions per instruction), then the closest few hundred rescored exactly with
 * their int8 values from the database. The codes are loaded on the first search of a space and
 * again after invalidate().
 */
export class VectorIndex {
  private table: CodeTable | undefined;
  private modelId: number | undefined;

  constructor(private readonly store: VectorStore) {}

  invalidate(): void {
    this.table = undefined;
  }

  /** Bytes the loaded codes and their ids take in memory. */
  memoryBytes(): number {
    const t = this.table;
    return t ? t.codes.byteLength + t.vectorIds.byteLength + t.chunkIds.byteLength + t.documentIds.byteLength : 0;
  }

  search(model: EmbeddingModelRow, query: Float32Array, options: VectorSearchOptions): VectorHit[] {
    const table = this.load(model);
    const rows = table.chunkIds.length;
    if (!rows || options.n <= 0) return [];
    const words = table.words;
    const code = toCode(query, model.center);
    const far = words * 32 + 1;
    const distances = new Uint16Array(rows);
    const { documents } = options;
    const codes = table.codes;
    for (let i = 0, at = 0; i < rows; i++, at += words) {
      if (documents && !documents.has(table.documentIds[i]!)) {
        distances[i] = far;
        continue;
      }
      let d = 0;
      for (let w = 0; w < words; w++) d += popcount(codes[at + w]! ^ code[w]!);
      distances[i] = d;
    }
    const wanted = Math.max(options.n, options.rescore ?? RESCORE_CANDIDATES);
    const candidates = closest(distances, wanted, far);
    const values = this.store.values(candidates.map((i) => table.vectorIds[i]!));
    const hits: VectorHit[] = [];
    for (const i of candidates) {
      const stored = values.get(table.vectorIds[i]!);
      if (stored) hits.push({ chunkId: table.chunkIds[i]!, score: dotInt8(query, { values: int8Of(stored.value), scale: stored.scale }) });
    }
    return hits.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId).slice(0, options.n);
  }

  private load(model: EmbeddingModelRow): CodeTable {
    if (!this.table || this.modelId !== model.id) {
      this.table = this.store.codes(model.id, codeWords(model.dims));
      this.modelId = model.id;
    }
    return this.table;
  }
}

/** The indices of the `wanted` smallest distances below `far`, by a counting pass; ties at the cut in index order. */
function closest(distances: Uint16Array, wanted: number, far: number): number[] {
  const histogram = new Uint32Array(far + 1);
  for (let i = 0; i < distances.length; i++) histogram[distances[i]!]!++;
  let cut = 0;
  for (let seen = 0; cut < far && seen + histogram[cut]! < wanted; cut++) seen += histogram[cut]!;
  const picked: number[] = [];
  const ties: number[] = [];
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i]!;
    if (d < cut) picked.push(i);
    else if (d === cut && d < far && ties.length < wanted) ties.push(i);
  }
  return picked.concat(ties.slice(0, Math.max(0, wanted - picked.length)));
}
