import type Database from "better-sqlite3";
import type { DocumentFormat, DocumentStatus, FileStatus, FolderStatus } from "../../shared/library.js";
import type { ParsedChunk } from "./ingest/parse.js";
import { embeddingInput } from "./vectors/input.js";
import { VectorStore } from "./vectors/vector-store.js";

export interface SourceRow {
  id: number;
  path: string;
  ignorePatterns: string[];
  maxFileBytes: number;
}

export interface DocumentRow {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  hash: string | null;
  status: DocumentStatus;
}

interface FileFacts {
  sourceId: number;
  path: string;
  format: DocumentFormat;
  size: number;
  mtimeMs: number;
  hash: string | null;
}

export interface IndexedDocument extends FileFacts {
  title: string;
  indexTitle: string;
  tags: string[];
  chunks: ParsedChunk[];
}

export interface DocumentState extends FileFacts {
  status: Exclude<DocumentStatus, "indexed">;
  reason: string;
}

export interface ChunkRow {
  id: number;
  path: string;
  title: string;
  format: DocumentFormat;
  headingPath: string;
  lineStart: number;
  lineEnd: number;
  page: number | null;
  text: string;
}

/** Every SQL statement of the library, behind typed methods. */
export class Store {
  private readonly q;
  readonly vectors: VectorStore;

  constructor(readonly db: Database.Database) {
    this.vectors = new VectorStore(db);
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      sources: p("SELECT id, path, ignore_patterns AS ignorePatterns, max_file_bytes AS maxFileBytes FROM sources ORDER BY path"),
      addSource: p("INSERT INTO sources (path, ignore_patterns, max_file_bytes, added_at) VALUES (?, ?, ?, ?) RETURNING id"),
      updateSource: p("UPDATE sources SET ignore_patterns = ?, max_file_bytes = ? WHERE id = ?"),
      removeSource: p("DELETE FROM sources WHERE id = ?"),
      documentsOf: p("SELECT id, path, size, mtime_ms AS mtimeMs, hash, status FROM documents WHERE source_id = ?"),
      documentAt: p("SELECT id, path, size, mtime_ms AS mtimeMs, hash, status FROM documents WHERE path = ?"),
      upsertDocument: p(`
        INSERT INTO documents (source_id, path, title, format, size, mtime_ms, hash, status, reason, chunk_count, indexed_at)
        VALUES (@sourceId, @path, @title, @format, @size, @mtimeMs, @hash, @status, @reason, @chunkCount, @now)
        ON CONFLICT (path) DO UPDATE SET source_id = excluded.source_id, title = excluded.title, format = excluded.format,
          size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, status = excluded.status,
          reason = excluded.reason, chunk_count = excluded.chunk_count, indexed_at = excluded.indexed_at
        RETURNING id`),
      deleteChunksOf: p("DELETE FROM chunks WHERE document_id = ?"),
      insertChunk: p("INSERT INTO chunks (document_id, ordinal, heading_path, line_start, line_end, page, text) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      deleteTagsOf: p("DELETE FROM document_tags WHERE document_id = ?"),
      insertTag: p("INSERT OR IGNORE INTO document_tags (document_id, tag) VALUES (?, ?)"),
      insertFts: p("INSERT INTO chunks_fts (rowid, title, heading, body) VALUES (?, ?, ?, ?)"),
      touch: p("UPDATE documents SET size = ?, mtime_ms = ? WHERE id = ?"),
      deleteDocument: p("DELETE FROM documents WHERE path = ?"),
      deleteUnder: p("DELETE FROM documents WHERE substr(path, 1, length(@prefix)) = @prefix"),
      chunkCount: p("SELECT count(*) AS n FROM chunks"),
      folderStatus: p(`
        SELECT s.path, s.ignore_patterns AS ignorePatterns, s.max_file_bytes AS maxFileBytes,
          count(d.id) FILTER (WHERE d.status = 'indexed') AS indexed,
          count(d.id) FILTER (WHERE d.status = 'skipped') AS skipped,
          count(d.id) FILTER (WHERE d.status = 'failed') AS failed,
          coalesce(sum(d.chunk_count), 0) AS chunks
        FROM sources s LEFT JOIN documents d ON d.source_id = s.id
        GROUP BY s.id ORDER BY s.path`),
      files: p(`
        SELECT d.path, s.path AS folder, d.status, d.reason, d.title, d.format, d.size, d.chunk_count AS chunks
        FROM documents d JOIN sources s ON s.id = d.source_id
        WHERE (@status IS NULL OR d.status = @status) AND (@folder IS NULL OR s.path = @folder)
        ORDER BY d.path`),
      fileAt: p(`
        SELECT d.path, s.path AS folder, d.status, d.reason, d.title, d.format, d.size, d.chunk_count AS chunks
        FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.path = ?`),
      chunksByIds: p(`
        SELECT c.id, d.path, d.title, d.format, c.heading_path AS headingPath, c.line_start AS lineStart,
          c.line_end AS lineEnd, c.page, c.text
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id IN (SELECT value FROM json_each(?))`),
      documentFrequencies: p("SELECT term, doc FROM chunks_vocab WHERE term IN (SELECT value FROM json_each(?))"),
    };
  }

  /**
   * Index entries written inside a transaction wait here and go in together at its end. FTS5 writes
   * out what it holds in memory whenever another statement opens a savepoint (an upsert does, with
   * its foreign keys): written one document at a time, its entries became a segment per note, and
   * the upserts between them took longer than all the inserts (1.1 s of 2.1 s for 5,680 notes).
   */
  private pendingFts: Array<{ documentId: number; chunkId: number; title: string; heading: string; body: string }> = [];

  transaction<T>(fn: () => T): T {
    return this.db
      .transaction(() => {
        try {
          const result = fn();
          this.flushFts();
          return result;
        } catch (error) {
          // Rolled back: the chunks they were for are gone with it.
          this.pendingFts = [];
          throw error;
        }
      })
      .immediate();
  }

  private flushFts(): void {
    const rows = this.pendingFts;
    this.pendingFts = [];
    for (const row of rows) this.q.insertFts.run(row.chunkId, row.title, row.heading, row.body);
  }

  /** Before chunks are deleted: their trigger deletes their index entries, which must be there by then. */
  private flushFtsOf(documentId: number | null): void {
    if (this.pendingFts.length && (documentId === null || this.pendingFts.some((row) => row.documentId === documentId))) this.flushFts();
  }

  sources(): SourceRow[] {
    return (this.q.sources.all() as Array<Omit<SourceRow, "ignorePatterns"> & { ignorePatterns: string }>).map((row) => ({
      ...row,
      ignorePatterns: JSON.parse(row.ignorePatterns) as string[],
    }));
  }

  addSource(path: string, ignorePatterns: string[], maxFileBytes: number): SourceRow {
    const { id } = this.q.addSource.get(path, JSON.stringify(ignorePatterns), maxFileBytes, Date.now()) as { id: number };
    return { id, path, ignorePatterns, maxFileBytes };
  }

  updateSource(source: SourceRow): void {
    this.q.updateSource.run(JSON.stringify(source.ignorePatterns), source.maxFileBytes, source.id);
  }

  removeSource(id: number): void {
    this.flushFtsOf(null);
    this.q.removeSource.run(id);
  }

  documentsOf(sourceId: number): Map<string, DocumentRow> {
    const rows = this.q.documentsOf.all(sourceId) as DocumentRow[];
    return new Map(rows.map((row) => [row.path, row]));
  }

  documentAt(path: string): DocumentRow | undefined {
    return this.q.documentAt.get(path) as DocumentRow | undefined;
  }

  /** Replaces a document's chunks and their index entries. Call inside transaction(), which writes the entries at its end. */
  writeDocument(doc: IndexedDocument): void {
    const { id } = this.q.upsertDocument.get({
      ...doc,
      status: "indexed",
      reason: null,
      chunkCount: doc.chunks.length,
      now: Date.now(),
    }) as { id: number };
    // Chunks whose text (and place) did not change keep their vectors: an edit re-embeds only what it touched.
    const kept = this.vectors.ofDocument(id);
    this.flushFtsOf(id);
    this.q.deleteChunksOf.run(id);
    this.q.deleteTagsOf.run(id);
    for (const tag of doc.tags) this.q.insertTag.run(id, tag);
    doc.chunks.forEach((chunk, ordinal) => {
      // run()'s rowid, not RETURNING: no result row to build, once per chunk.
      const chunkId = Number(this.q.insertChunk.run(id, ordinal, JSON.stringify(chunk.headingPath), chunk.lineStart, chunk.lineEnd, chunk.page ?? null, chunk.text).lastInsertRowid);
      this.pendingFts.push({ documentId: id, chunkId, title: doc.indexTitle, heading: chunk.index.heading, body: chunk.index.body });
      if (!kept.empty) kept.carry(chunkId, embeddingInput(doc.title, chunk.headingPath, chunk.text));
    });
  }

  /** Records a skipped or failed file, dropping any chunks an earlier version had. */
  writeState(state: DocumentState): void {
    const { id } = this.q.upsertDocument.get({ ...state, title: "", chunkCount: 0, now: Date.now() }) as { id: number };
    this.flushFtsOf(id);
    this.q.deleteChunksOf.run(id);
    this.q.deleteTagsOf.run(id);
  }

  touch(id: number, size: number, mtimeMs: number): void {
    this.q.touch.run(size, mtimeMs, id);
  }

  /** Removes the document at path and every document under it, if path was a folder. */
  deletePath(path: string, separator: string): number {
    this.flushFtsOf(null);
    return this.q.deleteDocument.run(path).changes + this.q.deleteUnder.run({ prefix: path + separator }).changes;
  }

  chunkCount(): number {
    return (this.q.chunkCount.get() as { n: number }).n;
  }

  folderStatus(): FolderStatus[] {
    return (this.q.folderStatus.all() as Array<Omit<FolderStatus, "ignorePatterns"> & { ignorePatterns: string }>).map((row) => ({
      ...row,
      ignorePatterns: JSON.parse(row.ignorePatterns) as string[],
    }));
  }

  files(filter: { status?: DocumentStatus; folder?: string } = {}): FileStatus[] {
    return this.q.files.all({ status: filter.status ?? null, folder: filter.folder ?? null }) as FileStatus[];
  }

  fileAt(path: string): FileStatus | undefined {
    return this.q.fileAt.get(path) as FileStatus | undefined;
  }

  chunksByIds(ids: number[]): ChunkRow[] {
    return this.q.chunksByIds.all(JSON.stringify(ids)) as ChunkRow[];
  }

  /** How many chunks contain each term, per the index itself. */
  documentFrequencies(terms: string[]): Map<string, number> {
    const rows = this.q.documentFrequencies.all(JSON.stringify(terms)) as Array<{ term: string; doc: number }>;
    return new Map(rows.map((row) => [row.term, row.doc]));
  }
}
