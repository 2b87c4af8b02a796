import type Database from "better-sqlite3";
import { LibraryError } from "../errors.js";
import type { Migration } from "./migration.js";
import { migration as m0001 } from "./0001-initial.js";
import { migration as m0002 } from "./0002-conversations.js";
import { migration as m0003 } from "./0003-settings.js";
import { migration as m0004 } from "./0004-answer-context.js";
import { migration as m0005 } from "./0005-embeddings.js";
import { migration as m0006 } from "./0006-formats-pages-tags.js";
import { migration as m0007 } from "./0007-released-vectors.js";

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** "SrcB": marks the file as a Sourcebook library, so a foreign database is never migrated. */
export const APPLICATION_ID = 0x53726342;

/**
 * Checks that the file is a library this version can use, before anything is written to it.
 * Throws for a newer schema or a foreign database.
 */
export function checkCompatible(db: Database.Database, dbPath: string): number {
  const version = db.pragma("user_version", { simple: true }) as number;
  const appId = db.pragma("application_id", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new LibraryError(
      "DB_NEWER",
      `The library at ${dbPath} was written by a newer version of Sourcebook (schema ${version}; this version knows up to ${SCHEMA_VERSION}). Update Sourcebook to open it; the file was not changed.`,
    );
  }
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n > 0;
  if (appId !== APPLICATION_ID && (version !== 0 || hasTables)) {
    throw new LibraryError("DB_NOT_LIBRARY", `${dbPath} is a database, but not a Sourcebook library. It was left untouched.`);
  }
  return version;
}

/**
 * Applies each pending migration in its own transaction, so a failure leaves the last good
 * version. The version is read again under the write lock: another process opening the same new
 * library at the same moment may have migrated it while this one waited.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const version = () => db.pragma("user_version", { simple: true }) as number;
  const current = version();
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (m.version <= version()) return;
      m.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
