import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describeSqliteError, LibraryError } from "./errors.js";
import { checkCompatible, migrate } from "./migrations/index.js";

export interface OpenOptions {
  /** How long a write waits for another program's lock before failing. */
  busyTimeoutMs?: number;
  /** Whether a missing file becomes a new library (the default). When false it is DB_MISSING, and nothing is created. */
  create?: boolean;
  /**
   * Whether an empty (0-byte) file becomes a new library. SQLite takes any empty file for an empty
   * database, so by default one is refused and left as it is: it is somebody's file, not a library.
   */
  acceptEmpty?: boolean;
  /**
   * The better-sqlite3 binary to load, when not the one node_modules has (built for Node): the
   * desktop app, run unpackaged, passes its Electron build (main/app/native-binding.ts).
   */
  nativeBinding?: string;
}

/**
 * Opens (or creates) the library database and brings its schema up to date.
 * A newer, foreign, empty, damaged or locked file is refused with a clear error and never rewritten.
 */
export function openDatabase(dbPath: string, options: OpenOptions = {}): Database.Database {
  const resolved = path.resolve(dbPath);
  const create = options.create ?? true;
  const size = fileSize(resolved);
  if (size === undefined && !create) throw new LibraryError("DB_MISSING", `There is no library at ${resolved} yet; indexing a folder creates it.`);
  if (size === 0 && !options.acceptEmpty && staysEmpty(resolved)) throw new LibraryError("DB_NOT_LIBRARY", `${resolved} is an empty file, not a Sourcebook library. It was left untouched.`);
  if (create) {
    try {
      fs.mkdirSync(path.dirname(resolved), { recursive: true });
    } catch (error) {
      throw new LibraryError("DB_OPEN_FAILED", `Cannot create the folder for the library database ${resolved}: ${(error as Error).message}`);
    }
  }
  let db: Database.Database | undefined;
  try {
    // fileMustExist: a file deleted since the check above is not created anew.
    db = new Database(resolved, { fileMustExist: !create, nativeBinding: options.nativeBinding });
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

/**
 * Another Sourcebook creating this very library leaves the file empty for a moment, between
 * creating it and writing its header: an empty file is refused only once it has stayed empty.
 */
const EMPTY_GRACE_MS = 500;

function staysEmpty(file: string): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + EMPTY_GRACE_MS; Date.now() < deadline; ) {
    Atomics.wait(pause, 0, 0, 20);
    if (fileSize(file) !== 0) return false;
  }
  return true;
}

/** The file's size; undefined when there is none. */
function fileSize(file: string): number | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size;
  } catch (error) {
    throw new LibraryError("DB_OPEN_FAILED", `The library database cannot be opened: ${file} (${(error as Error).message}).`);
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
