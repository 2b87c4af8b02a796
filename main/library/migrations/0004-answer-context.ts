import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 4,
  name: "answer-context",
  up(db) {
    // What the token budget did for each answer: the documents it left out, how the context was
    // used, and whether the answer ran into its budget. Answers stored before have none of it (NULL).
    db.exec(`
      ALTER TABLE messages ADD COLUMN omitted TEXT CHECK (omitted IS NULL OR json_valid(omitted));
      ALTER TABLE messages ADD COLUMN context TEXT CHECK (context IS NULL OR json_valid(context));
      ALTER TABLE messages ADD COLUMN truncated INTEGER CHECK (truncated IN (0, 1));
    `);
  },
};
