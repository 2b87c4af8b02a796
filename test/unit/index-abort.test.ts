import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EventName } from "../../shared/api.js";
import { createApi } from "../../main/api/api.js";
import { Library } from "../../main/library/library.js";
import { createServices } from "../../main/services.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

// Indexing stops when asked to, or when the app quits, between files: what was read stays
// indexed, the rest is left as it was and read by the next run.
const FILES = 1500;

function notesFolder(): { root: string; notes: string } {
  const root = fs.realpathSync(tempDir());
  const notes = path.join(root, "notes");
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`note${i}.md`] = `# Note ${i}\n\nThe word marker${i} is written here.\n`;
  writeFiles(notes, files);
  return { root, notes };
}

/** Every indexed note is found by its own word: its rows and its search entries were written together. */
function expectSearchable(library: Library): number {
  const indexed = library.files({ status: "indexed" });
  for (const file of indexed.slice(0, 50)) {
    const word = `marker${path.basename(file.path, ".md").slice("note".length)}`;
    expect(library.search(word).map((hit) => hit.path)).toEqual([file.path]);
  }
  return indexed.length;
}

describe("stopping an index run", () => {
  it("by its signal keeps what was read, and the next run reads only the rest", async () => {
    const { root, notes } = notesFolder();
    const library = Library.open(path.join(root, "lib.db"), { threads: 1 });
    try {
      const controller = new AbortController();
      const run = library.index({
        folders: [notes],
        signal: controller.signal,
        onProgress: (progress) => progress.phase === "indexing" && progress.filesDone > 0 && controller.abort(),
      });
      await expect(run).rejects.toMatchObject({ name: "AbortError" });
      const kept = expectSearchable(library);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(FILES);
      expect(library.files().every((file) => file.status === "indexed")).toBe(true);

      const rest = await library.index();
      expect(rest).toMatchObject({ files: FILES, indexed: FILES - kept, unchanged: kept });
      expect(expectSearchable(library)).toBe(FILES);
    } finally {
      await library.close();
    }
  });

  it("when the API closes (the app quits): close() returns without waiting for the rest, and a later index finishes it", async () => {
    const { root, notes } = notesFolder();
    const dbPath = path.join(root, "lib.db");
    const services = createServices({ dbPath, threads: 1 });
    await services.library.addFolder(notes);
    const events: EventName[] = [];
    const api = createApi({ services, platform: new RecordingPlatform(), threads: 1, emit: (event) => events.push(event) });
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      // start() catches up on the folder in the background, as the app does when it opens.
      await api.start();
      await waitFor(() => services.library.folders()[0]!.indexed > 0, 20_000, "the first notes to be indexed");
      await api.close();
    } finally {
      console.error = log;
    }
    // Quitting is no failure: nothing was logged as one.
    expect(errors).toEqual([]);

    const library = Library.open(dbPath, { threads: 1 });
    try {
      const atClose = expectSearchable(library);
      expect(atClose).toBeGreaterThan(0);
      expect(atClose).toBeLessThan(FILES);
      const rest = await library.index();
      expect(rest).toMatchObject({ files: FILES, indexed: FILES - atClose, unchanged: atClose });
      expect(library.folders()[0]).toMatchObject({ indexed: FILES, failed: 0, skipped: 0 });
    } finally {
      await library.close();
    }
  });
});
