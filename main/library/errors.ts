import type { LibraryErrorCode } from "../../shared/errors.js";

export type { LibraryErrorCode };

/** An error whose message is written for the person using the app. */
export class LibraryError extends Error {
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LibraryError";
  }
}

/** Turns SQLite's terse errors into ones that say what happened to which file. */
export function describeSqliteError(error: unknown, dbPath: string): LibraryError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED") {
    return new LibraryError("DB_BUSY", `The library database is locked by another program: ${dbPath}. Close the other program or try again.`);
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || code.startsWith("SQLITE_CORRUPT_")) {
    return new LibraryError("DB_CORRUPT", `The library database is damaged or is not a database: ${dbPath}. It was left untouched; move it aside to start a new library.`);
  }
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_")) {
    return new LibraryError("DB_READONLY", `The library database cannot be written: ${dbPath}. Check its permissions.`);
  }
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_PERM" || code === "SQLITE_IOERR" || code.startsWith("SQLITE_IOERR_")) {
    return new LibraryError("DB_OPEN_FAILED", `The library database cannot be opened: ${dbPath} (${(error as Error).message}).`);
  }
  return undefined;
}
