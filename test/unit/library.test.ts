import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IndexProgress } from "../../shared/library.js";
import { Library } from "../../main/library/library.js";
import { tempDir, writeFiles } from "../helpers.js";

async function setup(files: Record<string, string>) {
  const root = tempDir();
  const notes = fs.realpathSync(fs.mkdirSync(path.join(root, "notes"), { recursive: true }) ?? path.join(root, "notes"));
  writeFiles(notes, files);
  const dbPath = path.join(root, "lib.db");
  return { root, notes, dbPath, lib: Library.open(dbPath, { threads: 1 }) };
}

describe("library indexing", () => {
  it("does not read files whose size and mtime are unchanged", async () => {
    const { notes, lib } = await setup({ "a.md": "# A\n\nalpha", "b.md": "# B\n\nbeta" });
    const a = path.join(notes, "a.md");
    // Whole seconds, so restoring the mtime below restores it exactly.
    fs.utimesSync(a, 1_700_000_000, 1_700_000_000);
    expect(await lib.index({ folders: [notes] })).toMatchObject({ files: 2, indexed: 2, unchanged: 0 });
    // Same size and mtime but new words: had the file been read, the new words would be found.
    fs.writeFileSync(a, "# A\n\nomega");
    fs.utimesSync(a, 1_700_000_000, 1_700_000_000);
    expect(await lib.index()).toMatchObject({ indexed: 0, unchanged: 2 });
    expect(lib.search("omega")).toEqual([]);
    expect(lib.search("alpha")).toHaveLength(1);
    await lib.close();
  });

  it("gives a note's text for the preview on a worker, and refuses one grown past its folder's limit", async () => {
    const { notes, lib } = await setup({ "page.html": "<title>Page</title><h1>Page</h1><p>Some <b>bold</b> text.</p>" });
    await lib.addFolder(notes, { maxFileBytes: 1000 });
    await lib.index({ folders: [notes] });
    const file = lib.file(path.join(notes, "page.html"))!;
    expect(await lib.noteText(file)).toEqual({ kind: "note", title: "Page", markdown: "# Page\n\nSome **bold** text." });
    fs.writeFileSync(file.path, "<p>big</p>".repeat(200));
    expect(await lib.noteText(file)).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("too large") });
    fs.rmSync(file.path);
    expect(await lib.noteText(file)).toEqual({ kind: "unreadable", reason: "it is gone" });
    await lib.close();
  });

  it("does not re-chunk a file whose content hash is unchanged", async () => {
    const { notes, lib, dbPath } = await setup({ "a.md": "# A\n\nalpha beta" });
    await lib.index({ folders: [notes] });
    const ids = () => new Database(dbPath, { readonly: true }).prepare("SELECT id FROM chunks").all();
    const before = ids();
    fs.utimesSync(path.join(notes, "a.md"), new Date(), new Date(Date.now() + 5000));
    expect(await lib.index()).toMatchObject({ indexed: 0, unchanged: 1 });
    expect(ids()).toEqual(before);
    fs.appendFileSync(path.join(notes, "a.md"), " gamma");
    expect(await lib.index()).toMatchObject({ indexed: 1 });
    expect(lib.search("gamma")).toHaveLength(1);
    await lib.close();
  });

  it("removes deleted files and applies ignore rules, defaults included", async () => {
    const { notes, lib } = await setup({
      "keep.md": "keep", "drafts/wip.md": "draft words", ".hidden.md": "hidden words", "node_modules/x/readme.md": "dependency words",
      ".obsidian/workspace.md": "editor words", "private/secret.md": "secret words", "image.png": "not a note",
    });
    await lib.addFolder(notes, { ignorePatterns: ["private/", "# comment", ""] });
    const summary = await lib.index({ folders: [notes] });
    expect(summary.files).toBe(2);
    expect(lib.files().map((f) => path.relative(notes, f.path)).sort()).toEqual(["drafts/wip.md", "keep.md"]);
    expect(lib.folders()[0]!.ignorePatterns).toEqual(["private/"]);

    await lib.configureFolder(notes, { ignorePatterns: ["drafts/"] });
    expect(lib.files().map((f) => path.relative(notes, f.path)).sort()).toEqual(["keep.md", "private/secret.md"]);
    // The folder's own negations bring back only what its own patterns left out, never the built-in ignores.
    await lib.configureFolder(notes, { ignorePatterns: ["drafts/", "!.*", "!.obsidian/", "!node_modules/", "!**/node_modules/**", "private/", "!private/"] });
    expect(lib.files().map((f) => path.relative(notes, f.path)).sort()).toEqual(["keep.md", "private/secret.md"]);
    fs.rmSync(path.join(notes, "keep.md"));
    await lib.index();
    expect(lib.search("keep")).toEqual([]);
    await lib.close();
  });

  it("skips files over the folder's size limit with a reason, and reads them once the limit allows", async () => {
    const { notes, lib } = await setup({ "big.md": "big ".repeat(300), "small.md": "small" });
    await lib.addFolder(notes, { maxFileBytes: 1000 });
    const summary = await lib.index({ folders: [notes] });
    expect(summary.skipped).toEqual([{ path: path.join(notes, "big.md"), reason: expect.stringMatching(/^too large/) }]);
    await lib.configureFolder(notes, { maxFileBytes: 10_000 });
    expect(lib.files({ status: "indexed" })).toHaveLength(2);
    await expect(lib.configureFolder(notes, { maxFileBytes: -1 })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await lib.close();
  });

  it("reports per-file status and progress", async () => {
    const { notes, lib } = await setup({ "a.md": "alpha", "b.txt": "beta", "empty.md": "" });
    const progress: IndexProgress[] = [];
    await lib.index({ folders: [notes], onProgress: (p) => progress.push(p) });
    expect(progress[0]!.phase).toBe("scanning");
    expect(progress.at(-1)).toEqual({ phase: "done", filesDone: 3, filesTotal: 3, bytesDone: 9, bytesTotal: 9 });
    expect(lib.files({ status: "skipped" })).toEqual([expect.objectContaining({ path: path.join(notes, "empty.md"), reason: "empty file" })]);
    expect(lib.folders()).toEqual([expect.objectContaining({ path: notes, indexed: 2, skipped: 1, failed: 0, chunks: 2 })]);
    await lib.close();
  });

  it("refuses overlapping folders and unknown ones with clear errors", async () => {
    const { notes, lib, root } = await setup({ "sub/a.md": "a" });
    await lib.addFolder(notes);
    await expect(lib.addFolder(path.join(notes, "sub"))).rejects.toMatchObject({ code: "FOLDER_OVERLAPS" });
    await expect(lib.addFolder(root)).rejects.toMatchObject({ code: "FOLDER_OVERLAPS" });
    await expect(lib.addFolder(path.join(root, "missing"))).rejects.toMatchObject({ code: "FOLDER_NOT_FOUND" });
    await expect(lib.removeFolder(path.join(root, "missing"))).rejects.toMatchObject({ code: "FOLDER_UNKNOWN" });
    await lib.index();
    await lib.removeFolder(notes);
    expect(lib.files()).toEqual([]);
    expect(lib.search("a")).toEqual([]);
    await lib.close();
  });
});
