import type Database from "better-sqlite3";
import { embeddingInput, inputHash } from "./input.js";
import { bytesOf, float32Of } from "./quantize.js";

export interface EmbeddingModelRow {
  id: number;
  name: string;
  kind: "local" | "remote";
  location: string;
  dims: number;
  probe: Float32Array;
  center: Float32Array | null;
  active: boolean;
}

interface RawModelRow {
  id: number;
  name: string;
  kind: "local" | "remote";
  location: string;
  dims: number;
  probe: Buffer;
  center: Buffer | null;
  active: number;
}

/** A chunk that has no vector in a space yet, with what it is embedded as. */
export interface PendingChunk {
  chunkId: number;
  input: string;
  hash: Buffer;
}

export interface NewVector {
  chunkId: number;
  hash: Buffer;
  code: Uint32Array;
  scale: number;
  values: Int8Array;
}

/** The codes of one space, column by column, as the scan reads them. */
export interface CodeTable {
  vectorIds: Int32Array;
  chunkIds: Int32Array;
  documentIds: Int32Array;
  /** Row i's code is words [i × words, (i + 1) × words). */
  codes: Uint32Array;
  words: number;
}

const toModel = (row: RawModelRow): EmbeddingModelRow => ({
  ...row,
  probe: float32Of(row.probe),
  center: row.center ? float32Of(row.center) : null,
  active: row.active === 1,
});

/** Every SQL statement about vectors, behind typed methods. */
export class VectorStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    // The scan's loaded codes follow writes from a log instead of being read again: this
    // connection's triggers note every vector of the watched space that is stored or removed,
    // directly or by a chunk's cascade. Temporary, so the schema stays as the migrations made it.
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS vector_watch (model_id INTEGER NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS vector_log (vector_id INTEGER NOT NULL);
      CREATE TEMP TRIGGER IF NOT EXISTS vector_log_insert AFTER INSERT ON main.chunk_vectors
        WHEN new.model_id IN (SELECT model_id FROM vector_watch)
        BEGIN INSERT INTO vector_log (vector_id) VALUES (new.id); END;
      CREATE TEMP TRIGGER IF NOT EXISTS vector_log_delete AFTER DELETE ON main.chunk_vectors
        WHEN old.model_id IN (SELECT model_id FROM vector_watch)
        BEGIN INSERT INTO vector_log (vector_id) VALUES (old.id); END;
    `);
    const p = (sql: string) => db.prepare(sql);
    const chunkInput = `
      SELECT c.id AS chunkId, d.title, c.heading_path AS headingPath, c.text
      FROM chunks c JOIN documents d ON d.id = c.document_id`;
    this.q = {
      models: p("SELECT id, name, kind, location, dims, probe, center, active FROM embedding_models ORDER BY id"),
      addModel: p("INSERT INTO embedding_models (name, kind, location, dims, probe, active, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id"),
      moveModel: p("UPDATE embedding_models SET kind = ?, location = ? WHERE id = ?"),
      deactivate: p("UPDATE embedding_models SET active = 0 WHERE active = 1"),
      activate: p("UPDATE embedding_models SET active = 1 WHERE id = ?"),
      setCenter: p("UPDATE embedding_models SET center = ? WHERE id = ? AND center IS NULL"),
      pending: p(`${chunkInput}
        WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model_id = ?)
        ORDER BY c.id LIMIT ?`),
      chunkInput: p(`${chunkInput} WHERE c.id = ?`),
      countPending: p("SELECT count(*) AS n FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model_id = ?)"),
      countVectors: p("SELECT count(*) AS n FROM chunk_vectors WHERE model_id = ?"),
      countChunks: p("SELECT count(*) AS n FROM chunks"),
      insertVector: p("INSERT INTO chunk_vectors (chunk_id, model_id, input_hash, code) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id"),
      insertValues: p("INSERT INTO vector_values (vector_id, scale, value) VALUES (?, ?, ?)"),
      codes: p(`
        SELECT v.id AS vectorId, v.chunk_id AS chunkId, c.document_id AS documentId, v.code
        FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id WHERE v.model_id = ? ORDER BY v.id`),
      codesOf: p(`
        SELECT v.id AS vectorId, v.chunk_id AS chunkId, c.document_id AS documentId, v.code
        FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id WHERE v.model_id = ? AND v.id IN (SELECT value FROM json_each(?)) ORDER BY v.id`),
      unwatch: p("DELETE FROM vector_watch"),
      watch: p("INSERT INTO vector_watch (model_id) VALUES (?)"),
      logged: p("SELECT DISTINCT vector_id AS id FROM vector_log"),
      logSize: p("SELECT count(*) AS n FROM vector_log"),
      clearLog: p("DELETE FROM vector_log"),
      dropModels: p("DELETE FROM embedding_models WHERE id NOT IN (SELECT value FROM json_each(?))"),
      values: p("SELECT vector_id AS vectorId, scale, value FROM vector_values WHERE vector_id IN (SELECT value FROM json_each(?))"),
      released: p("SELECT rowid, code, scale, value FROM released_vectors WHERE model_id = ? AND input_hash = ? LIMIT 1"),
      takeReleased: p("DELETE FROM released_vectors WHERE rowid = ?"),
      clearReleased: p("DELETE FROM released_vectors"),
      ofDocument: p(`
        SELECT v.model_id AS modelId, v.input_hash AS hash, v.code, x.scale, x.value
        FROM chunk_vectors v JOIN vector_values x ON x.vector_id = v.id JOIN chunks c ON c.id = v.chunk_id
        WHERE c.document_id = ?`),
    };
  }

  models(): EmbeddingModelRow[] {
    return (this.q.models.all() as RawModelRow[]).map(toModel);
  }

  active(): EmbeddingModelRow | undefined {
    return this.models().find((m) => m.active);
  }

  addModel(name: string, kind: "local" | "remote", location: string, probe: Float32Array): number {
    return (this.q.addModel.get(name, kind, location, probe.length, bytesOf(probe), Date.now()) as { id: number }).id;
  }

  /** Makes this space the library's, reached at this location from now on. */
  activate(id: number, kind: "local" | "remote", location: string): void {
    this.db.transaction(() => {
      this.q.moveModel.run(kind, location, id);
      this.q.deactivate.run();
      this.q.activate.run(id);
    }).immediate();
  }

  /** The first center stays: codes already written were taken around it. */
  setCenter(id: number, center: Float32Array): void {
    this.q.setCenter.run(bytesOf(center), id);
  }

  /** Up to `limit` chunks after `afterId` that have no vector in the space, in id order. */
  pending(modelId: number, afterId: number, limit: number): PendingChunk[] {
    return (this.q.pending.all(afterId, modelId, limit) as ChunkInputRow[]).map(toPending);
  }

  countPending(modelId: number): number {
    return (this.q.countPending.get(modelId) as { n: number }).n;
  }

  countVectors(modelId: number): number {
    return (this.q.countVectors.get(modelId) as { n: number }).n;
  }

  countChunks(): number {
    return (this.q.countChunks.get() as { n: number }).n;
  }

  /**
   * Stores vectors made from the inputs `pending` read. A chunk that was removed, or re-indexed with
   * other text, while its input was being embedded gets no vector: its id may now be another
   * chunk's. Returns how many were stored. Call inside a transaction.
   */
  insert(modelId: number, vectors: readonly NewVector[]): number {
    let stored = 0;
    for (const v of vectors) {
      const now = this.q.chunkInput.get(v.chunkId) as ChunkInputRow | undefined;
      if (!now || !toPending(now).hash.equals(v.hash)) continue;
      if (this.write(v.chunkId, modelId, v.hash, bytesOf(v.code), v.scale, bytesOf(v.values))) stored++;
    }
    return stored;
  }

  /**
   * Gives each of these chunks the vector a removed chunk of the same input left (a note renamed or
   * moved); returns the chunks that still need embedding. Call inside a transaction.
   */
  reuseReleased(modelId: number, chunks: readonly PendingChunk[]): PendingChunk[] {
    return chunks.filter((chunk) => {
      const row = this.q.released.get(modelId, chunk.hash) as { rowid: number; code: Buffer; scale: number; value: Buffer } | undefined;
      if (!row) return true;
      this.q.takeReleased.run(row.rowid);
      return !this.write(chunk.chunkId, modelId, chunk.hash, row.code, row.scale, row.value);
    });
  }

  /** Once every chunk has its vector, what removed chunks left can serve no one. */
  clearReleased(): void {
    this.q.clearReleased.run();
  }

  private write(chunkId: number, modelId: number, hash: Buffer, code: Buffer, scale: number, value: Buffer): boolean {
    const row = this.q.insertVector.get(chunkId, modelId, hash, code) as { id: number } | undefined;
    if (row) this.q.insertValues.run(row.id, scale, value);
    return !!row;
  }

  /**
   * Deletes every space but these, with their vectors (the cascade takes the values too). Returns
   * how many spaces went.
   */
  dropModelsExcept(keep: readonly number[]): number {
    return this.q.dropModels.run(JSON.stringify(keep)).changes;
  }

  /** A space's codes, and from now on a log of its vectors stored or removed (see changes()). */
  codes(modelId: number, words: number): CodeTable {
    return this.db.transaction(() => {
      this.q.unwatch.run();
      this.q.clearLog.run();
      this.q.watch.run(modelId);
      return toTable(this.q.codes.all(modelId) as CodeRow[], words);
    })();
  }

  /** Stops the log: the codes are read whole at the next search. */
  unwatch(): void {
    this.db.transaction(() => {
      this.q.unwatch.run();
      this.q.clearLog.run();
    })();
  }

  /** How many writes the log holds. */
  loggedWrites(): number {
    return (this.q.logSize.get() as { n: number }).n;
  }

  /**
   * The vectors of the watched space stored or removed since codes() or the last call, and the
   * codes of those that exist now; the log starts again empty.
   */
  changes(modelId: number, words: number): { touched: Set<number>; current: CodeTable } | undefined {
    return this.db.transaction(() => {
      const touched = new Set((this.q.logged.all() as Array<{ id: number }>).map((r) => r.id));
      if (!touched.size) return undefined;
      this.q.clearLog.run();
      return { touched, current: toTable(this.q.codesOf.all(modelId, JSON.stringify([...touched])) as CodeRow[], words) };
    })();
  }

  values(vectorIds: readonly number[]): Map<number, { scale: number; value: Buffer }> {
    const rows = this.q.values.all(JSON.stringify(vectorIds)) as Array<{ vectorId: number; scale: number; value: Buffer }>;
    return new Map(rows.map((r) => [r.vectorId, r]));
  }

  /** A document's vectors by input, before its chunks are replaced: the unchanged ones are kept. */
  ofDocument(documentId: number): CarriedVectors {
    const rows = this.q.ofDocument.all(documentId) as Array<{ modelId: number; hash: Buffer; code: Buffer; scale: number; value: Buffer }>;
    const byHash = new Map<string, typeof rows>();
    for (const row of rows) {
      const key = row.hash.toString("hex");
      byHash.set(key, [...(byHash.get(key) ?? []), row]);
    }
    return {
      empty: rows.length === 0,
      carry: (chunkId, input) => {
        const hash = inputHash(input);
        for (const row of byHash.get(hash.toString("hex")) ?? []) this.write(chunkId, row.modelId, hash, row.code, row.scale, row.value);
      },
    };
  }
}

/** What a re-indexed document's chunks keep of its vectors. */
export interface CarriedVectors {
  empty: boolean;
  /** Gives the new chunk the vectors an old chunk with the same input had. */
  carry(chunkId: number, input: string): void;
}

interface CodeRow {
  vectorId: number;
  chunkId: number;
  documentId: number;
  code: Buffer;
}

function toTable(rows: readonly CodeRow[], words: number): CodeTable {
  const table: CodeTable = {
    vectorIds: new Int32Array(rows.length),
    chunkIds: new Int32Array(rows.length),
    documentIds: new Int32Array(rows.length),
    codes: new Uint32Array(rows.length * words),
    words,
  };
  rows.forEach((row, i) => {
    table.vectorIds[i] = row.vectorId;
    table.chunkIds[i] = row.chunkId;
    table.documentIds[i] = row.documentId;
    table.codes.set(new Uint32Array(row.code.buffer, row.code.byteOffset, words), i * words);
  });
  return table;
}

interface ChunkInputRow {
  chunkId: number;
  title: string;
  headingPath: string;
  text: string;
}

function toPending(row: ChunkInputRow): PendingChunk {
  const input = embeddingInput(row.title, JSON.parse(row.headingPath) as string[], row.text);
  return { chunkId: row.chunkId, input, hash: inputHash(input) };
}
