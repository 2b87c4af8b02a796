import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describeSqliteError, LibraryError } from "./errors.js";
import { checkCompatible, migrate } from "./migrations/index.js";

export interface OpenOptions {
  /** How long a write waits for another program's lock before failing. */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) the library database and brings its schema up to date.
 * A newer, foreign, damaged or locked file is refused with a clear error and never rewritten.
 */
export function openDatabase(dbPath: string, options: OpenOptions = {}): Database.Database {
  const resolved = path.resolve(dbPath);
  try {
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
  } catch (error) {
    throw new LibraryError("DB_OPEN_FAILED", `Cannot create the folder for the library database ${resolved}: ${(error as Error).message}`);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(resolved);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Reads the header first: a damaged or foreign file fails here, before any pragma writes to it.
    checkCompatible(db, resolved);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("temp_store = MEMORY");
    db.pragma("cache_size = -32000");
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof LibraryError) throw error;
    throw describeSqliteError(error, resolved) ?? error;
  }
}

/** Runs fn and rewrites SQLite errors into LibraryErrors naming the database file. */
export function withDbErrors<T>(dbPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw describeSqliteError(error, dbPath) ?? error;
  }
}
