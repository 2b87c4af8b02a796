import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../main/library/db.js";
import { LibraryError } from "../../main/library/errors.js";
import { migration as m0001 } from "../../main/library/migrations/0001-initial.js";
import { migration as m0002 } from "../../main/library/migrations/0002-conversations.js";
import { migration as m0003 } from "../../main/library/migrations/0003-settings.js";
import { migration as m0004 } from "../../main/library/migrations/0004-answer-context.js";
import { migration as m0005 } from "../../main/library/migrations/0005-embeddings.js";
import { APPLICATION_ID, migrate, MIGRATIONS, SCHEMA_VERSION } from "../../main/library/migrations/index.js";
import { tempDir } from "../helpers.js";

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

describe("migrations", () => {
  it("numbers migrations 1..n with no gaps, one file each", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const files = fs.readdirSync(path.join(import.meta.dirname, "../../main/library/migrations")).filter((f) => /^\d{4}-/.test(f));
    expect(files).toHaveLength(SCHEMA_VERSION);
  });

  it("0001 creates STRICT tables, the FTS index and the delete trigger", () => {
    const db = new Database(":memory:");
    migrate(db, [m0001]);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    expect(db.pragma("application_id", { simple: true })).toBe(APPLICATION_ID);
    expect(tables(db)).toEqual(expect.arrayContaining(["sources", "documents", "chunks", "chunks_fts", "chunks_fts_delete"]));
    const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE name IN ('sources', 'documents', 'chunks')").all() as Array<{ strict: number }>;
    expect(strict.map((r) => r.strict)).toEqual([1, 1, 1]);
    // STRICT rejects a value of the wrong type instead of storing it.
    expect(() => db.prepare("INSERT INTO sources (path, max_file_bytes, added_at) VALUES ('x', 'big', 0)").run()).toThrow();

    db.prepare("INSERT INTO sources (id, path, max_file_bytes, added_at) VALUES (1, '/n', 10, 0)").run();
    db.prepare("INSERT INTO documents (id, source_id, path, format, size, mtime_ms, status, indexed_at) VALUES (1, 1, '/n/a.md', 'markdown', 1, 1, 'indexed', 0)").run();
    db.prepare("INSERT INTO chunks (id, document_id, ordinal, heading_path, line_start, line_end, text) VALUES (7, 1, 0, '[]', 1, 1, 'hello')").run();
    db.prepare("INSERT INTO chunks_fts (rowid, title, heading, body) VALUES (7, '', '', 'hello')").run();
    expect(db.prepare("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'hello'").all()).toEqual([{ rowid: 7 }]);
    // Deleting the source cascades to documents and chunks, and the trigger empties the index.
    db.pragma("foreign_keys = ON");
    db.prepare("DELETE FROM sources").run();
    expect(db.prepare("SELECT count(*) AS n FROM chunks").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'hello'").all()).toEqual([]);
  });

  it("0002 adds conversations and messages to a version-1 library, keeping its documents", () => {
    const file = path.join(tempDir(), "v1.db");
    const db = new Database(file);
    migrate(db, [m0001]);
    db.prepare("INSERT INTO sources (id, path, max_file_bytes, added_at) VALUES (1, '/n', 10, 0)").run();
    migrate(db, [m0001, m0002]);
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    expect(db.prepare("SELECT path FROM sources").all()).toEqual([{ path: "/n" }]);
    db.pragma("foreign_keys = ON");
    db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'c', 0, 0)").run();
    db.prepare("INSERT INTO messages (conversation_id, ordinal, role, content, created_at, citations) VALUES (1, 0, 'user', 'q', 0, NULL)").run();
    expect(() => db.prepare("INSERT INTO messages (conversation_id, ordinal, role, content, created_at) VALUES (1, 1, 'system', 'x', 0)").run()).toThrow();
    expect(() => db.prepare("INSERT INTO messages (conversation_id, ordinal, role, content, created_at, citations) VALUES (1, 1, 'assistant', 'a', 0, 'not json')").run()).toThrow();
    db.prepare("DELETE FROM conversations").run();
    expect(db.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 0 });
    db.close();
  });

  it("0003 adds a STRICT key/value settings table to a version-2 library, keeping its conversations", () => {
    const file = path.join(tempDir(), "v2.db");
    const db = new Database(file);
    migrate(db, [m0001, m0002]);
    db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'c', 0, 0)").run();
    migrate(db, [m0001, m0002, m0003]);
    expect(db.pragma("user_version", { simple: true })).toBe(3);
    expect(db.prepare("SELECT title FROM conversations").all()).toEqual([{ title: "c" }]);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'settings'").get()).toEqual({ strict: 1 });
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"light\"')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('language', 'not json')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('gpu', X'00')").run()).toThrow();
    db.close();
  });

  it("0004 gives a version-3 library's answers room for the budget's record, keeping the answers there", () => {
    const file = path.join(tempDir(), "v3.db");
    const db = new Database(file);
    migrate(db, [m0001, m0002, m0003]);
    db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'c', 0, 0)").run();
    db.prepare("INSERT INTO messages (conversation_id, ordinal, role, content, created_at, refused, stopped) VALUES (1, 1, 'assistant', 'old', 0, 0, 0)").run();
    migrate(db, [m0001, m0002, m0003, m0004]);
    expect(db.pragma("user_version", { simple: true })).toBe(4);
    expect(db.prepare("SELECT content, omitted, context, truncated FROM messages").all()).toEqual([{ content: "old", omitted: null, context: null, truncated: null }]);
    db.prepare("UPDATE messages SET omitted = '[]', context = '{\"size\": 4096}', truncated = 1").run();
    expect(() => db.prepare("UPDATE messages SET omitted = 'not json'").run()).toThrow();
    expect(() => db.prepare("UPDATE messages SET truncated = 2").run()).toThrow();
    db.close();
  });

  it("0005 adds vector spaces and chunk vectors to a version-4 library, removed with their chunks", () => {
    const file = path.join(tempDir(), "v4.db");
    const db = new Database(file);
    migrate(db, [m0001, m0002, m0003, m0004]);
    db.prepare("INSERT INTO sources (id, path, max_file_bytes, added_at) VALUES (1, '/n', 10, 0)").run();
    db.prepare("INSERT INTO documents (id, source_id, path, format, size, mtime_ms, status, indexed_at) VALUES (1, 1, '/n/a.md', 'markdown', 1, 1, 'indexed', 0)").run();
    db.prepare("INSERT INTO chunks (id, document_id, ordinal, heading_path, line_start, line_end, text) VALUES (7, 1, 0, '[]', 1, 1, 'hello')").run();
    migrate(db, [m0001, m0002, m0003, m0004, m0005]);
    expect(db.pragma("user_version", { simple: true })).toBe(5);
    expect(db.prepare("SELECT text FROM chunks").all()).toEqual([{ text: "hello" }]);
    const strict = db.prepare("SELECT strict FROM pragma_table_list WHERE name IN ('embedding_models', 'chunk_vectors', 'vector_values')").all() as Array<{ strict: number }>;
    expect(strict.map((r) => r.strict)).toEqual([1, 1, 1]);
    db.pragma("foreign_keys = ON");
    const model = db.prepare("INSERT INTO embedding_models (name, kind, location, dims, probe, active, created_at) VALUES ('m', 'local', '/m.gguf', 2, ?, 1, 0) RETURNING id");
    const { id } = model.get(Buffer.alloc(8)) as { id: number };
    // The fingerprint has the model's dimensions; only one space is the library's at a time.
    expect(() => db.prepare("INSERT INTO embedding_models (name, kind, location, dims, probe, created_at) VALUES ('m', 'local', '/m', 2, ?, 0)").run(Buffer.alloc(4))).toThrow();
    expect(() => model.get(Buffer.alloc(8))).toThrow();
    expect(() => db.prepare("INSERT INTO embedding_models (name, kind, location, dims, probe, created_at) VALUES ('m', 'cloud', '/m', 2, ?, 0)").run(Buffer.alloc(8))).toThrow();
    const { id: vectorId } = db.prepare("INSERT INTO chunk_vectors (chunk_id, model_id, input_hash, code) VALUES (7, ?, X'00', X'00') RETURNING id").get(id) as { id: number };
    db.prepare("INSERT INTO vector_values (vector_id, scale, value) VALUES (?, 0.5, X'0102')").run(vectorId);
    // One vector per chunk and space, and none for a chunk that does not exist.
    expect(() => db.prepare("INSERT INTO chunk_vectors (chunk_id, model_id, input_hash, code) VALUES (7, ?, X'00', X'00')").run(id)).toThrow();
    expect(() => db.prepare("INSERT INTO chunk_vectors (chunk_id, model_id, input_hash, code) VALUES (8, ?, X'00', X'00')").run(id)).toThrow();
    db.prepare("DELETE FROM chunks").run();
    expect(db.prepare("SELECT (SELECT count(*) FROM chunk_vectors) AS vectors, (SELECT count(*) FROM vector_values) AS \"values\"").get()).toEqual({ vectors: 0, values: 0 });
    db.close();
  });

  it("is idempotent: migrating a current database changes nothing", () => {
    const file = path.join(tempDir(), "lib.db");
    openDatabase(file).close();
    const db = new Database(file);
    const before = tables(db);
    migrate(db);
    expect(tables(db)).toEqual(before);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it("opens in WAL mode", () => {
    const db = openDatabase(path.join(tempDir(), "lib.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a database from a newer version and leaves it byte for byte", () => {
    const file = path.join(tempDir(), "lib.db");
    const db = openDatabase(file);
    db.pragma("journal_mode = DELETE");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: "DB_NEWER", message: expect.stringContaining("newer version of Sourcebook") }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const file = path.join(tempDir(), "other.db");
    const other = new Database(file);
    other.exec("CREATE TABLE notes (body TEXT)");
    other.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(LibraryError);
    expect(() => openDatabase(file)).toThrow(/not a Sourcebook library/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
