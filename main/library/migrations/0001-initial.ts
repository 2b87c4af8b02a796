import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 1,
  name: "initial library",
  up(db) {
    db.exec(`
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        ignore_patterns TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ignore_patterns)),
        max_file_bytes INTEGER NOT NULL CHECK (max_file_bytes > 0),
        added_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        format TEXT NOT NULL CHECK (format IN ('markdown', 'text', 'html')),
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        -- NULL when the content was never read (too large, or reading failed).
        hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'skipped', 'failed')),
        reason TEXT,
        chunk_count INTEGER NOT NULL DEFAULT 0,
        indexed_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX documents_source ON documents(source_id, status);

      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        heading_path TEXT NOT NULL CHECK (json_valid(heading_path)),
        line_start INTEGER NOT NULL,
        line_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (document_id, ordinal)
      ) STRICT;

      -- Stemmed copies of each chunk's title, heading path and text; rowid = chunks.id.
      -- Contentless: the original text lives in chunks, so it is not stored twice. The terms come
      -- folded and stemmed from main/library/text/analyze.ts, separated by single spaces, so the
      -- simplest tokenizer splits them exactly as written (non-ASCII bytes are token characters).
      CREATE VIRTUAL TABLE chunks_fts USING fts5(
        title, heading, body,
        content = '', contentless_delete = 1,
        tokenize = 'ascii'
      );
      CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'row');

      -- Deleting a chunk (directly or by cascade) removes its index entry in the same transaction.
      CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.id;
      END;
    `);
  },
};
