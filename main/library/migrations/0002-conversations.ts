import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 2,
  name: "conversations",
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversations_updated ON conversations(updated_at DESC);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        -- Answers only. Citations keep the cited chunks' text as it was when answered, so a
        -- transcript stays true after the notes change.
        refused INTEGER CHECK (refused IN (0, 1)),
        stopped INTEGER CHECK (stopped IN (0, 1)),
        relevant_doc_ids TEXT CHECK (relevant_doc_ids IS NULL OR json_valid(relevant_doc_ids)),
        citations TEXT CHECK (citations IS NULL OR json_valid(citations)),
        candidates TEXT CHECK (candidates IS NULL OR json_valid(candidates)),
        model TEXT,
        settings TEXT CHECK (settings IS NULL OR json_valid(settings)),
        timings TEXT CHECK (timings IS NULL OR json_valid(timings)),
        tokens TEXT CHECK (tokens IS NULL OR json_valid(tokens)),
        UNIQUE (conversation_id, ordinal)
      ) STRICT;
    `);
  },
};
