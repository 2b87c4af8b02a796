import Database from "better-sqlite3";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, MIGRATIONS } from "../../main/library/migrations/index.js";
import { tempDir } from "../helpers.js";

describe("migration 0007", () => {
  it("keeps a removed chunk's vector by its input until it is taken, and not the vectors of a space dropped", () => {
    const db = new Database(path.join(tempDir(), "v6.db"));
    migrate(db, MIGRATIONS.slice(0, 6));
    db.prepare("INSERT INTO sources (id, path, max_file_bytes, added_at) VALUES (1, '/n', 10, 0)").run();
    db.prepare("INSERT INTO documents (id, source_id, path, format, size, mtime_ms, status, indexed_at) VALUES (1, 1, '/n/a.md', 'markdown', 1, 1, 'indexed', 0)").run();
    db.prepare("INSERT INTO chunks (id, document_id, ordinal, heading_path, line_start, line_end, text) VALUES (7, 1, 0, '[]', 1, 1, 'kept'), (8, 1, 1, '[]', 2, 2, 'dropped')").run();
    migrate(db, MIGRATIONS.slice(0, 7));
    expect(db.pragma("user_version", { simple: true })).toBe(7);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'released_vectors'").get()).toEqual({ strict: 1 });
    db.pragma("foreign_keys = ON");
    const space = (name: string) => (db.prepare("INSERT INTO embedding_models (name, kind, location, dims, probe, created_at) VALUES (?, 'local', '/m', 2, ?, 0) RETURNING id").get(name, Buffer.alloc(8)) as { id: number }).id;
    const [a, b] = [space("a"), space("b")];
    const vector = (chunk: number, model: number, hash: string) => {
      const { id } = db.prepare("INSERT INTO chunk_vectors (chunk_id, model_id, input_hash, code) VALUES (?, ?, ?, X'01') RETURNING id").get(chunk, model, Buffer.from(hash)) as { id: number };
      db.prepare("INSERT INTO vector_values (vector_id, scale, value) VALUES (?, 0.25, X'0203')").run(id);
    };
    vector(7, a, "h7");
    vector(8, b, "h8");
    db.prepare("DELETE FROM chunks WHERE id = 7").run();
    expect(db.prepare("SELECT model_id AS model, input_hash AS hash, code, scale, value FROM released_vectors").all()).toEqual([
      { model: a, hash: Buffer.from("h7"), code: Buffer.from([1]), scale: 0.25, value: Buffer.from([2, 3]) },
    ]);
    // Dropping a space takes its vectors and what its removed chunks left, keeping nothing of it.
    db.prepare("DELETE FROM embedding_models WHERE id IN (?, ?)").run(a, b);
    expect(db.prepare("SELECT count(*) AS n FROM released_vectors").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM chunk_vectors").get()).toEqual({ n: 0 });
    db.close();
  });
});
