// What an index run has to do: the work that makes the index match the disk, for a folder (a full
// scan) or for paths the watcher reported.
import fs from "node:fs";
import { isInside } from "../path-inside.js";
import { createIgnoreRules } from "./ignore-rules.js";
import type { Work } from "./indexer.js";
import { formatOf } from "./ingest/formats.js";
import { inRealFolder, scanFolder, scanRoot, statFile, toRelative } from "./scan.js";
import type { DocumentRow, SourceRow } from "./store.js";

/** What the index holds: a folder's documents by path, and the document at a path. */
export interface KnownDocuments {
  of(source: SourceRow): Map<string, DocumentRow>;
  at(file: string): DocumentRow | undefined;
}

/** Work that makes the index of `start` (a folder or a sub-folder of it) match the disk. */
export async function reconcileWork(known: KnownDocuments, source: SourceRow, start: string): Promise<Work[]> {
  const root = scanRoot(source.path, createIgnoreRules(source.ignorePatterns));
  const documents = known.of(source);
  const scan = fs.existsSync(start) ? await scanFolder(root, start) : { files: [], problems: [], skipped: [] };
  const work: Work[] = [];
  for (const file of scan.files) {
    work.push({ kind: "file", source, file, known: documents.get(file.path) });
    documents.delete(file.path);
  }
  for (const problem of scan.problems) {
    work.push({ kind: "failed", source, file: problem, error: problem.error });
    documents.delete(problem.path);
  }
  for (const { reason, ...file } of scan.skipped) {
    work.push({ kind: "skipped", source, file, reason });
    documents.delete(file.path);
  }
  for (const stale of documents.keys()) if (stale === start || isInside(stale, start)) work.push({ kind: "remove", path: stale });
  return work;
}

/** Work for one path the watcher reported: a file, a folder, or something gone. */
export async function pathWork(known: KnownDocuments, source: SourceRow, changed: string): Promise<Work[]> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(changed);
  } catch {
    return [{ kind: "remove", path: changed }];
  }
  const root = scanRoot(source.path, createIgnoreRules(source.ignorePatterns));
  if (changed !== source.path && !inRealFolder(root, changed)) return [{ kind: "remove", path: changed }];
  const rel = toRelative(source.path, changed);
  if (stat.isDirectory()) {
    return rel && root.rules(rel, true) ? [{ kind: "remove", path: changed }] : reconcileWork(known, source, changed);
  }
  const format = formatOf(changed);
  if (!format) return [];
  if (root.rules(rel, false)) return [{ kind: "remove", path: changed }];
  const found = statFile(root, changed, format, stat.isSymbolicLink());
  if (!found) return [{ kind: "remove", path: changed }];
  if ("error" in found) return [{ kind: "failed", source, file: found, error: found.error }];
  if ("reason" in found) {
    const { reason, ...file } = found;
    return [{ kind: "skipped", source, file, reason }];
  }
  return [{ kind: "file", source, file: found, known: known.at(changed) }];
}
