import { codeWords, dot, dotInt8, int8Of, popcount, toCode } from "./quantize.js";
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
  /** How far the score stands above the library's background (see lift()). */
  lift: number;
}

/**
 * How far above the library's background a chunk's similarity must stand for hybrid search to count
 * it as found without the lexical retriever, as a share of the way from the background to a
 * perfect match (see lift()). The nearest chunks of any question are always somewhere; without a
 * floor, a question nothing in the notes is about would never come back empty, and ask would
 * never refuse without asking the model. The background is the
 * query's similarity with the mean of the library's vectors, which is the mean of its similarities
 * with them: that takes out each model's own offset (every cosine between e5 vectors is above 0.7;
 * bge-m3's unrelated passages sit near 0.35), which an absolute cosine floor would have to know.
 * 0.2 is where the published score ranges of bge-m3 and multilingual-e5 put a passage about the
 * question (0.3 to 0.5 of the way) above one about something else in the same notes (near 0.1);
 * no real model's weights are reachable here to measure it.
 */
export const SEMANTIC_FLOOR = 0.2;

/**
 * A similarity as a share of the way from the background (the query's similarity with the mean
 * vector) to 1: 0 for a chunk no closer than the library at large, 1 for the query itself.
 */
export function lift(score: number, background: number): number {
  return background < 1 ? (score - background) / (1 - background) : 0;
}

export interface VectorSearchOptions {
  n: number;
  /** Only chunks of these documents; all of them when undefined. */
  documents?: ReadonlySet<number>;
  rescore?: number;
}

/**
 * Writes the log may hold before the codes are read whole instead: past this share of the loaded
 * rows, one read of the table costs less than applying them.
 */
const LOG_SHARE = 0.5;

/**
 * Nearest chunks by cosine similarity: a scan of every vector's binary code in memory (Hamming
 * distance, 32 dimensions per instruction), then the closest few hundred rescored exactly with
 * their int8 values from the database. The codes are loaded on the first search of a space; after
 * that each search first applies the vectors stored or removed since (VectorStore.changes()), so
 * a search during a long embedding run reads a few rows, not the whole table.
 */
export class VectorIndex {
  private table: GrowingTable | undefined;
  private modelId: number | undefined;

  constructor(private readonly store: VectorStore) {}

  /** The codes are read whole at the next search. */
  invalidate(): void {
    this.table = undefined;
    this.store.unwatch();
  }

  /** Vectors were written: a log grown past its worth is dropped for a whole read. */
  written(): void {
    if (this.table && this.store.loggedWrites() > LOG_SHARE * this.table.rows + 1024) this.invalidate();
  }

  /** Bytes the loaded codes and their ids take in memory. */
  memoryBytes(): number {
    const t = this.table;
    return t ? t.codes.byteLength + t.vectorIds.byteLength + t.chunkIds.byteLength + t.documentIds.byteLength : 0;
  }

  search(model: EmbeddingModelRow, query: Float32Array, options: VectorSearchOptions): VectorHit[] {
    const table = this.load(model);
    const rows = table.rows;
    if (rows === table.dead || options.n <= 0) return [];
    const words = table.words;
    const code = toCode(query, model.center);
    const far = words * 32 + 1;
    const distances = new Uint16Array(rows);
    const { documents } = options;
    const codes = table.codes;
    for (let i = 0, at = 0; i < rows; i++, at += words) {
      if (table.chunkIds[i]! < 0 || (documents && !documents.has(table.documentIds[i]!))) {
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
    const background = model.center ? dot(query, model.center) : 0;
    const hits: VectorHit[] = [];
    for (const i of candidates) {
      const stored = values.get(table.vectorIds[i]!);
      if (!stored) continue;
      const score = dotInt8(query, { values: int8Of(stored.value), scale: stored.scale });
      hits.push({ chunkId: table.chunkIds[i]!, score, lift: lift(score, background) });
    }
    return hits.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId).slice(0, options.n);
  }

  private load(model: EmbeddingModelRow): GrowingTable {
    const words = codeWords(model.dims);
    if (!this.table || this.modelId !== model.id) {
      this.table = GrowingTable.of(this.store.codes(model.id, words));
      this.modelId = model.id;
      return this.table;
    }
    const changes = this.store.changes(model.id, words);
    if (changes) this.table.apply(changes.touched, changes.current);
    return this.table;
  }
}

/**
 * The loaded codes, with room to append. A removed vector's row is marked (chunk id −1) and
 * skipped by the scan; the rows are packed again once half of them are marked.
 */
class GrowingTable {
  rows = 0;
  dead = 0;

  private constructor(
    public vectorIds: Int32Array,
    public chunkIds: Int32Array,
    public documentIds: Int32Array,
    public codes: Uint32Array,
    readonly words: number,
  ) {}

  static of(table: CodeTable): GrowingTable {
    const grown = new GrowingTable(table.vectorIds, table.chunkIds, table.documentIds, table.codes, table.words);
    grown.rows = table.chunkIds.length;
    return grown;
  }

  /** `touched` vectors were stored or removed; `current` holds those of them that exist now. */
  apply(touched: ReadonlySet<number>, current: CodeTable): void {
    for (let i = 0; i < this.rows; i++) {
      if (this.chunkIds[i]! >= 0 && touched.has(this.vectorIds[i]!)) {
        this.chunkIds[i] = -1;
        this.dead++;
      }
    }
    const added = current.chunkIds.length;
    if (this.rows + added > this.chunkIds.length) this.resize(Math.max(this.rows + added, Math.ceil(this.chunkIds.length * 1.5)));
    this.vectorIds.set(current.vectorIds, this.rows);
    this.chunkIds.set(current.chunkIds, this.rows);
    this.documentIds.set(current.documentIds, this.rows);
    this.codes.set(current.codes, this.rows * this.words);
    this.rows += added;
    if (this.dead * 2 > this.rows) this.pack();
  }

  private resize(capacity: number): void {
    const grow = <T extends Int32Array | Uint32Array>(a: T, size: number): T => {
      const next = new (a.constructor as new (n: number) => T)(size);
      next.set(a.subarray(0, Math.min(a.length, size)));
      return next;
    };
    this.vectorIds = grow(this.vectorIds, capacity);
    this.chunkIds = grow(this.chunkIds, capacity);
    this.documentIds = grow(this.documentIds, capacity);
    this.codes = grow(this.codes, capacity * this.words);
  }

  private pack(): void {
    let to = 0;
    for (let i = 0; i < this.rows; i++) {
      if (this.chunkIds[i]! < 0) continue;
      if (to !== i) {
        this.vectorIds[to] = this.vectorIds[i]!;
        this.chunkIds[to] = this.chunkIds[i]!;
        this.documentIds[to] = this.documentIds[i]!;
        this.codes.copyWithin(to * this.words, i * this.words, (i + 1) * this.words);
      }
      to++;
    }
    this.rows = to;
    this.dead = 0;
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
