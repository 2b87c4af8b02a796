import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 5,
  name: "embeddings",
  up(db) {
    db.exec(`
      -- One row per vector space: a model, known by its name, its dimensions and its fingerprint
      -- (its embedding of a fixed text), so that switching models never mixes spaces, and a file
      -- replaced under the same name is noticed. The active one is the library's embedding model.
      CREATE TABLE embedding_models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('local', 'remote')),
        -- The .gguf file, or the endpoint's base URL: where the model is reached now.
        location TEXT NOT NULL,
        dims INTEGER NOT NULL CHECK (dims > 0),
        -- float32 × dims, L2-normalized.
        probe BLOB NOT NULL CHECK (length(probe) = 4 * dims),
        -- float32 × dims: the mean of the first vectors, which the binary codes are taken around.
        center BLOB CHECK (center IS NULL OR length(center) = 4 * dims),
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX embedding_models_one_active ON embedding_models(active) WHERE active = 1;

      -- A chunk's vector in one space. input_hash is the hash of the text that was embedded (the
      -- note's title, the heading path and the chunk's text), so a chunk whose text is unchanged
      -- keeps its vector when its note is re-indexed. code is the binary code the scan reads; the
      -- int8 values used to rescore live apart, so loading the codes reads a few bytes per chunk.
      CREATE TABLE chunk_vectors (
        id INTEGER PRIMARY KEY,
        chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,
        input_hash BLOB NOT NULL,
        code BLOB NOT NULL,
        UNIQUE (chunk_id, model_id)
      ) STRICT;
      CREATE INDEX chunk_vectors_model ON chunk_vectors(model_id);

      CREATE TABLE vector_values (
        vector_id INTEGER PRIMARY KEY REFERENCES chunk_vectors(id) ON DELETE CASCADE,
        scale REAL NOT NULL,
        -- int8 × dims.
        value BLOB NOT NULL
      ) STRICT;
    `);
  },
};
