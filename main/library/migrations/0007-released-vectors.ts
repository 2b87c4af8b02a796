import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 7,
  name: "released-vectors",
  up(db) {
    // A note renamed or moved is removed and then indexed anew, and its chunks' vectors went with the
    // old rows. They are kept here, by the text they were made of, until the next embedding run has
    // taken what it can reuse; a space dropped takes its own along (the trigger skips them).
    db.exec(`
      CREATE TABLE released_vectors (
        model_id INTEGER NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,
        input_hash BLOB NOT NULL,
        code BLOB NOT NULL,
        scale REAL NOT NULL,
        value BLOB NOT NULL
      ) STRICT;
      CREATE INDEX released_vectors_input ON released_vectors(model_id, input_hash);

      CREATE TRIGGER release_vector BEFORE DELETE ON chunk_vectors
        WHEN EXISTS (SELECT 1 FROM embedding_models WHERE id = old.model_id)
      BEGIN
        INSERT INTO released_vectors (model_id, input_hash, code, scale, value)
          SELECT old.model_id, old.input_hash, old.code, x.scale, x.value FROM vector_values x WHERE x.vector_id = old.id;
      END;
    `);
  },
};
