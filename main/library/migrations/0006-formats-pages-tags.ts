import type { Migration } from "./migration.js";

const OLD_FORMATS = "CHECK (format IN ('markdown', 'text', 'html'))";
const NEW_FORMATS = "CHECK (format IN ('markdown', 'text', 'html', 'pdf', 'docx', 'epub'))";

export const migration: Migration = {
  version: 6,
  name: "formats-pages-tags",
  up(db) {
    // SQLite cannot alter a CHECK constraint. Widening one changes nothing stored, so the table's
    // definition is rewritten in place, as SQLite's ALTER TABLE documentation describes for this case
    // (rebuilding the table would cascade-delete every chunk, since foreign keys are on). The schema
    // version goes up with it, so other connections read the new definition.
    const version = db.pragma("schema_version", { simple: true }) as number;
    db.unsafeMode(true);
    try {
      db.pragma("writable_schema = ON");
      const changed = db
        .prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'documents' AND instr(sql, ?) > 0")
        .run(OLD_FORMATS, NEW_FORMATS, OLD_FORMATS).changes;
      if (changed !== 1) throw new Error("the documents table is not as version 5 left it");
      db.pragma(`schema_version = ${version + 1}`);
    } finally {
      db.pragma("writable_schema = OFF");
      db.unsafeMode(false);
    }
    db.exec(`
      -- The PDF page a chunk is on, from 1; NULL for other formats.
      ALTER TABLE chunks ADD COLUMN page INTEGER CHECK (page IS NULL OR page > 0);

      -- A note's tags (#tag in its text, front matter tags), lower case, nested ones as written ("project/alpha").
      CREATE TABLE document_tags (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (document_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX document_tags_tag ON document_tags(tag);

      -- Markdown notes are read again on the next index run: their tags, their aliases and Obsidian's
      -- syntax were not read before. Content with no hash is never taken for unchanged.
      UPDATE documents SET hash = NULL WHERE format = 'markdown' AND status = 'indexed';
    `);
  },
};
