import fs from "node:fs";
import path from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { DocumentFormat } from "../../shared/library.js";
import type { IgnoreRules } from "./ignore-rules.js";
import { formatOf } from "./ingest/formats.js";

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

export interface ScanResult {
  files: ScannedFile[];
  problems: ScanProblem[];
}

/**
 * Lists the readable note files under a folder. Directory symlinks are not followed (that is
 * how loops and duplicates are avoided); symlinks to files are. Synchronous calls per directory
 * are several times faster than their promise versions; yielding between directories keeps the
 * event loop responsive.
 */
export async function scanFolder(root: string, rules: IgnoreRules, start: string = root): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const problems: ScanProblem[] = [];
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
      const rel = toRelative(root, full);
      if (entry.isDirectory()) {
        if (!rules(rel, true)) pending.push(full);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const format = formatOf(entry.name);
      if (!format || rules(rel, false)) continue;
      const found = statFile(full, format);
      if (!found) continue;
      if ("error" in found) problems.push(found);
      else files.push(found);
    }
    await yieldToEventLoop();
  }
  return { files, problems };
}

/** A note file's size and mtime; undefined when it is gone or is not a file. */
export function statFile(full: string, format: DocumentFormat): ScannedFile | ScanProblem | undefined {
  try {
    const stat = fs.statSync(full);
    if (!stat.isFile()) return undefined;
    return { path: full, format, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    return { path: full, format, error: code === "ELOOP" ? "symbolic link loop" : (error as Error).message };
  }
}

export function toRelative(root: string, full: string): string {
  const rel = path.relative(root, full);
  return path.sep === "/" ? rel : rel.split(path.sep).join("/");
}
