import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ApiFailure } from "./errors.js";

/** Node's codes for the failures a person can do something about, in their words. */
const REASONS: Record<string, string> = {
  ENOENT: "the folder does not exist",
  ENOTDIR: "the folder does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the disk is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EISDIR: "a folder has that name",
};

/**
 * Writes a file the person chose, first under a temporary name beside it and then renamed into
 * place, so a failed write never leaves half a file (nor spoils the one it was to replace).
 * WRITE_FAILED names the file and why.
 */
export function saveFile(target: string, text: string): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { flag: "wx" });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ApiFailure("WRITE_FAILED", `${target} could not be saved: ${(code && REASONS[code]) ?? message}.`);
  }
}
