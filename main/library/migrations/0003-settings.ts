import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 3,
  name: "settings",
  up(db) {
    // One row per setting the person changed; the rest keep their defaults, so a new setting in a
    // later version needs no migration.
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `);
  },
};
