import fs from "node:fs";
import path from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { DocumentFormat } from "../../shared/library.js";
import { isInside } from "../path-inside.js";
import type { IgnoreRules } from "./ignore-rules.js";
import { formatOf } from "./ingest/formats.js";
import { LINK_IGNORED, LINK_MISSING, LINK_OUTSIDE } from "./read-inside.js";

export interface ScannedFile {
  path: string;
  format: DocumentFormat;
  size: number;
  mtimeMs: number;
}

export interface ScanProblem {
  path: string;
  format: DocumentFormat;
  error: string;
}

/** A note file that is listed but never read, with the reason. */
export interface ScanSkip {
  path: string;
  format: DocumentFormat;
  reason: string;
}

export interface ScanResult {
  files: ScannedFile[];
  problems: ScanProblem[];
  skipped: ScanSkip[];
}

/** A library folder: the path it is stored under, the real path a followed link must stay inside, its rules. */
export interface ScanRoot {
  path: string;
  real: string;
  rules: IgnoreRules;
}

export function scanRoot(folder: string, rules: IgnoreRules): ScanRoot {
  let real = folder;
  try {
    real = fs.realpathSync(folder);
  } catch {
    // A folder that is gone holds nothing to follow a link into.
  }
  return { path: folder, real, rules };
}

/**
 * Lists the note files under a folder. Directory symlinks are not followed (that is how loops and
 * duplicates are avoided); symlinks to files are, when their real path stays inside the folder.
 * Synchronous calls per directory are several times faster than their promise versions; yielding
 * between directories keeps the event loop responsive.
 */
export async function scanFolder(root: ScanRoot, start: string = root.path): Promise<ScanResult> {
  const result: ScanResult = { files: [], problems: [], skipped: [] };
  const pending = [start];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // vanished or unreadable folders hold nothing we can index
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = toRelative(root.path, full);
      if (entry.isDirectory()) {
        if (!root.rules(rel, true)) pending.push(full);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const format = formatOf(entry.name);
      if (!format || root.rules(rel, false)) continue;
      const found = statFile(root, full, format, entry.isSymbolicLink());
      if (!found) continue;
      if ("error" in found) result.problems.push(found);
      else if ("reason" in found) result.skipped.push(found);
      else result.files.push(found);
    }
    await yieldToEventLoop();
  }
  return result;
}

/**
 * A note file's size and mtime; undefined when it is gone or is not a file. A link that leads out
 * of the folder, to a file the rules ignore, or nowhere, is skipped with the reason.
 */
export function statFile(root: ScanRoot, full: string, format: DocumentFormat, isLink: boolean): ScannedFile | ScanProblem | ScanSkip | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return isLink && linkExists(full) ? { path: full, format, reason: LINK_MISSING } : undefined;
    return { path: full, format, error: code === "ELOOP" ? "symbolic link loop" : (error as Error).message };
  }
  if (!stat.isFile()) return undefined;
  const skip = isLink ? linkProblem(root, full) : undefined;
  if (skip) return { path: full, format, reason: skip };
  return { path: full, format, size: stat.size, mtimeMs: stat.mtimeMs };
}

function linkExists(full: string): boolean {
  try {
    return fs.lstatSync(full).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkProblem(root: ScanRoot, full: string): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    return LINK_MISSING;
  }
  if (!isInside(real, root.real)) return LINK_OUTSIDE;
  // A note may not be a way round the rules: "a.md -> .git/config" stays out like .git itself.
  if (root.rules(toRelative(root.real, real), false)) return LINK_IGNORED;
  return undefined;
}

/**
 * Whether the folder holding `full` is the one on disk under the library folder, not one reached
 * through a folder link, which the scan never follows. For paths from the watcher.
 */
export function inRealFolder(root: ScanRoot, full: string): boolean {
  const parent = path.dirname(full);
  try {
    return fs.realpathSync(parent) === path.join(root.real, path.relative(root.path, parent));
  } catch {
    return false;
  }
}

export function toRelative(root: string, full: string): string {
  const rel = path.relative(root, full);
  return path.sep === "/" ? rel : rel.split(path.sep).join("/");
}
