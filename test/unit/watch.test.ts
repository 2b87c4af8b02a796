import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LibraryChange } from "../../shared/library.js";
import { Library } from "../../main/library/library.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

let open: Library[] = [];
afterEach(async () => {
  await Promise.all(open.map((lib) => lib.close()));
  open = [];
});

async function watched(files: Record<string, string> = {}) {
  const root = tempDir();
  const notes = path.join(root, "notes");
  fs.mkdirSync(notes);
  writeFiles(notes, files);
  const dbPath = path.join(root, "lib.db");
  const lib = Library.open(dbPath, { threads: 1 });
  open.push(lib);
  await lib.addFolder(notes);
  const changes: LibraryChange[] = [];
  const watcher = await lib.watch({ onChange: (c) => changes.push(c), debounceMs: 20 });
  const real = fs.realpathSync(notes);
  const found = (word: string) => lib.search(word).map((h) => path.relative(real, h.path)).sort();
  return { lib, notes: real, dbPath, changes, watcher, found };
}

describe("folder watching", () => {
  it("indexes created, edited and deleted files", async () => {
    const { notes, found } = await watched({ "old.md": "ancient words" });
    expect(found("ancient")).toEqual(["old.md"]);
    fs.writeFileSync(path.join(notes, "new.md"), "# Новая\n\nсвежая заметка");
    await waitFor(() => found("свежие").length, 5000, "a created file");
    fs.writeFileSync(path.join(notes, "new.md"), "# Новая\n\nпереписанная заметка");
    await waitFor(() => found("переписанные").length && !found("свежие").length, 5000, "an edit");
    fs.rmSync(path.join(notes, "old.md"));
    await waitFor(() => !found("ancient").length, 5000, "a delete");
  });

  it("follows renames and moves of files and folders", async () => {
    const { notes, found } = await watched({ "a.md": "alpha", "dir/b.md": "bravo", "dir/sub/c.md": "charlie" });
    fs.renameSync(path.join(notes, "a.md"), path.join(notes, "renamed.md"));
    await waitFor(() => found("alpha").join() === "renamed.md", 5000, "a rename");
    fs.mkdirSync(path.join(notes, "other"));
    fs.renameSync(path.join(notes, "renamed.md"), path.join(notes, "other", "moved.md"));
    await waitFor(() => found("alpha").join() === "other/moved.md", 5000, "a move");
    fs.renameSync(path.join(notes, "dir"), path.join(notes, "folder"));
    await waitFor(() => found("bravo").join() === "folder/b.md" && found("charlie").join() === "folder/sub/c.md", 5000, "a folder rename");
    fs.rmSync(path.join(notes, "folder"), { recursive: true });
    await waitFor(() => !found("bravo").length && !found("charlie").length, 5000, "a folder delete");
  });

  it("handles atomic saves (write a temp file, then rename over the note)", async () => {
    const { notes, found, changes } = await watched({ "note.md": "version one" });
    for (let i = 2; i <= 4; i++) {
      const tmp = path.join(notes, `.note.md.${i}.tmp`);
      fs.writeFileSync(tmp, `version v${i}x`);
      fs.renameSync(tmp, path.join(notes, "note.md"));
      await waitFor(() => found(`v${i}x`).join() === "note.md", 5000, `atomic save ${i}`);
    }
    expect(found("one")).toEqual([]);
    // The hidden temp files were never indexed, not even briefly.
    expect(changes.filter((c) => c.path.includes(".tmp"))).toEqual([]);
  });

  it("keeps up with a burst of thousands of files", async () => {
    const { notes, lib } = await watched();
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`burst/${i % 20}/n${i}.md`] = `# Note ${i}\n\nburstword token${i}`;
    writeFiles(notes, files);
    await waitFor(() => lib.files({ status: "indexed" }).length === 2000, 20_000, "2000 files");
    expect(lib.search("token1999")).toHaveLength(1);
    expect(lib.search("burstword", { k: 200 })).toHaveLength(200);
  });

  it("applies the folder's ignore rules to live changes", async () => {
    const { notes, found, lib, watcher } = await watched();
    await lib.addFolder(notes, { ignorePatterns: ["drafts/"] });
    writeFiles(notes, { "drafts/d.md": "secretdraft", ".hidden.md": "secretdraft", "node_modules/m.md": "secretdraft", "ok.md": "visibleword" });
    await waitFor(() => found("visibleword").length, 5000, "the visible file");
    await watcher.idle();
    expect(found("secretdraft")).toEqual([]);
  });

  it("catches up on changes made while the library was closed", async () => {
    const first = await watched({ "keep.md": "steady", "edit.md": "before", "gone.md": "vanishing" });
    await first.lib.close();
    open = [];
    fs.writeFileSync(path.join(first.notes, "edit.md"), "after the edit");
    fs.rmSync(path.join(first.notes, "gone.md"));
    writeFiles(first.notes, { "added/while-closed.md": "offline addition" });

    const lib = Library.open(first.dbPath, { threads: 1 });
    open.push(lib);
    const changes: LibraryChange[] = [];
    await lib.watch({ onChange: (c) => changes.push(c) });
    const found = (word: string) => lib.search(word).map((h) => path.relative(first.notes, h.path));
    expect(found("offline")).toEqual(["added/while-closed.md"]);
    expect(found("after")).toEqual(["edit.md"]);
    expect(found("before")).toEqual([]);
    expect(found("vanishing")).toEqual([]);
    expect(found("steady")).toEqual(["keep.md"]);
  });

  it("watches a folder added while watching", async () => {
    const { lib } = await watched();
    const second = tempDir();
    await lib.addFolder(second);
    fs.writeFileSync(path.join(second, "late.md"), "latecomer");
    await waitFor(() => lib.search("latecomer").length, 5000, "a file in the added folder");
  });
});
