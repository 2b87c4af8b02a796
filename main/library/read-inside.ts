import fs from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { isInside } from "../path-inside.js";

/** Why a note file is skipped: a symbolic link that leads out of its folder (or nowhere). */
export const LINK_OUTSIDE = "symbolic link to a file outside the folder";
export const LINK_MISSING = "symbolic link to a missing file";
export const LINK_IGNORED = "symbolic link to an ignored file";

export type InsideRead = { kind: "bytes"; bytes: Buffer } | { kind: "outside" };

/** An atomic save between opening and checking replaces the file: it is opened again, a few times. */
const ATTEMPTS = 3;

/**
 * Reads a note only when the file it opens lies inside the folder by real path, whatever links
 * lead there or were swapped in since the scan. It opens first, then checks that the real path of
 * the name is inside the folder's own real path and is the very file it holds open (same device and
 * inode): a link retargeted between check and open cannot slip an outside file in. This works the
 * same on Linux, macOS and Windows; asking the open descriptor for its path would need /proc on
 * Linux, F_GETPATH on macOS and a native call on Windows. What is left open is a race that swaps the
 * folder's contents twice, at exact moments between these few calls.
 */
export async function readInside(file: string, folder: string): Promise<InsideRead> {
  const root = await realpath(folder);
  for (let attempt = 1; ; attempt++) {
    const handle = await open(file, "r");
    try {
      const opened = await handle.stat({ bigint: true });
      const real = await realpath(file);
      if (!isInside(real, root)) return { kind: "outside" };
      const named = await lstat(real, { bigint: true });
      if (named.dev === opened.dev && named.ino === opened.ino) return { kind: "bytes", bytes: await handle.readFile() };
    } finally {
      await handle.close();
    }
    if (attempt === ATTEMPTS) throw new Error("it kept changing while it was being read");
  }
}

/**
 * readInside with synchronous calls, for the ingest workers, which read one file after another: the
 * same checks in the same order, without a trip through libuv's thread pool for each of its calls.
 * `root` is the folder's real path.
 */
export function readInsideSync(file: string, root: string): InsideRead {
  for (let attempt = 1; ; attempt++) {
    const fd = fs.openSync(file, "r");
    try {
      const opened = fs.fstatSync(fd, { bigint: true });
      const real = fs.realpathSync.native(file);
      if (!isInside(real, root)) return { kind: "outside" };
      const named = fs.lstatSync(real, { bigint: true });
      if (named.dev === opened.dev && named.ino === opened.ino) return { kind: "bytes", bytes: fs.readFileSync(fd) };
    } finally {
      fs.closeSync(fd);
    }
    if (attempt === ATTEMPTS) throw new Error("it kept changing while it was being read");
  }
}
