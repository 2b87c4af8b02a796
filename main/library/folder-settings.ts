// A folder as the person names it (resolved to its real path), and the settings they give it.
import fs from "node:fs";
import path from "node:path";
import { LibraryError } from "./errors.js";
import { normalizePatterns } from "./ignore-rules.js";
import type { SourceRow } from "./store.js";

export interface FolderSettings {
  ignorePatterns?: string[];
  maxFileBytes?: number;
}

export function resolveFolder(folder: string): string {
  const resolved = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new LibraryError("FOLDER_NOT_FOUND", `There is no folder at ${resolved}.`);
  }
  if (!stat.isDirectory()) throw new LibraryError("FOLDER_NOT_FOUND", `${resolved} is a file, not a folder.`);
  return fs.realpathSync(resolved);
}

export function applySettings(source: SourceRow, settings: FolderSettings): SourceRow {
  const maxFileBytes = settings.maxFileBytes ?? source.maxFileBytes;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
    throw new LibraryError("BAD_INPUT", `The size limit must be a positive number of bytes, not ${settings.maxFileBytes}.`);
  }
  return {
    ...source,
    ignorePatterns: settings.ignorePatterns ? normalizePatterns(settings.ignorePatterns) : source.ignorePatterns,
    maxFileBytes,
  };
}
