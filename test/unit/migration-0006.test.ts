import Database from "better-sqlite3";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migration as m0006 } from "../../main/library/migrations/0006-formats-pages-tags.js";
import { migrate, MIGRATIONS } from "../../main/library/migrations/index.js";
import { tempDir } from "../helpers.js";

const before6 = MIGRATIONS.filter((m) => m.version < 6);

describe("migration 0006", () => {
  it("takes PDF, Word and EPUB documents, pages on chunks and tags, keeping a version-5 library's chunks and index", () => {
    const file = path.join(tempDir(), "v5.db");
    const db = new Database(file);
    migrate(db, before6);
    db.pragma("foreign_keys = ON");
    db.prepare("INSERT INTO sources (id, path, max_file_bytes, added_at) VALUES (1, '/n', 10, 0)").run();
    const doc = db.prepare("INSERT INTO documents (id, source_id, path, format, size, mtime_ms, hash, status, indexed_at) VALUES (?, 1, ?, ?, 1, 1, 'h', 'indexed', 0)");
    doc.run(1, "/n/a.md", "markdown");
    doc.run(2, "/n/b.html", "html");
    db.prepare("INSERT INTO chunks (id, document_id, ordinal, heading_path, line_start, line_end, text) VALUES (7, 1, 0, '[]', 1, 1, 'hello')").run();
    db.prepare("INSERT INTO chunks_fts (rowid, title, heading, body) VALUES (7, '', '', 'hello')").run();
    expect(() => doc.run(3, "/n/c.pdf", "pdf")).toThrow(/CHECK/);

    migrate(db, [...before6, m0006]);
    expect(db.pragma("user_version", { simple: true })).toBe(6);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    for (const [id, format] of [[3, "pdf"], [4, "docx"], [5, "epub"]] as const) doc.run(id, `/n/${id}.${format}`, format);
    expect(() => doc.run(6, "/n/x.odt", "odt")).toThrow(/CHECK/);
    // Nothing was cascaded away, and the index still finds the chunk.
    expect(db.prepare("SELECT id, page FROM chunks").all()).toEqual([{ id: 7, page: null }]);
    expect(db.prepare("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'hello'").all()).toEqual([{ rowid: 7 }]);
    // Markdown is read again (its tags and Obsidian syntax); other formats keep their hash.
    expect(db.prepare("SELECT path, hash FROM documents WHERE id IN (1, 2) ORDER BY id").all()).toEqual([
      { path: "/n/a.md", hash: null },
      { path: "/n/b.html", hash: "h" },
    ]);
    expect(() => db.prepare("INSERT INTO chunks (document_id, ordinal, heading_path, line_start, line_end, page, text) VALUES (3, 0, '[]', 1, 1, 0, 'x')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO document_tags (document_id, tag) VALUES (1, 'project/alpha')").run();
    db.prepare("DELETE FROM documents WHERE id = 1").run();
    expect(db.prepare("SELECT count(*) AS n FROM document_tags").get()).toEqual({ n: 0 });
    db.close();

    // Another connection reads the new definition.
    const again = new Database(file);
    again.prepare("INSERT INTO documents (id, source_id, path, format, size, mtime_ms, status, indexed_at) VALUES (9, 1, '/n/9.epub', 'epub', 1, 1, 'indexed', 0)").run();
    again.close();
  });
});
