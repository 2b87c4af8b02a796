import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileStatus, FolderStatus, IndexSummary, SearchHit } from "../../shared/library.js";
import { openApp, type TestApp } from "../fixtures/api-app.js";
import { tempDir, writeFiles } from "../helpers.js";

let root: string;
const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((app) => app.close())));

function open(name: string): TestApp {
  const app = openApp(path.join(root, name));
  apps.push(app);
  return app;
}

beforeAll(() => {
  root = fs.realpathSync(tempDir());
});

describe("re-indexing from a window", () => {
  let app: TestApp;
  let notes: string;
  let elsewhere: string;

  beforeAll(async () => {
    notes = path.join(root, "notes");
    elsewhere = path.join(root, "elsewhere");
    writeFiles(notes, { "cats.md": "# Cats\n\nCats sleep on windowsills." });
    writeFiles(elsewhere, { "secret.md": "# Secret\n\nquartermaster passphrase" });
    app = open("reindex.db");
    await app.addChosenFolder(notes);
  });

  it("refuses a folder that is not in the library, adds nothing, and its notes stay out of reach", async () => {
    for (const folders of [[elsewhere], [notes, elsewhere], [path.join(notes, "..", "elsewhere")]]) {
      const refused = await app.failure("library.reindex", { folders });
      expect(refused).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining(elsewhere) });
    }
    expect((await app.value<FolderStatus[]>("library.folders")).map((f) => f.path)).toEqual([notes]);
    expect((await app.value<FileStatus[]>("library.files", {})).map((f) => f.path)).toEqual([path.join(notes, "cats.md")]);
    expect(await app.failure("notes.read", { path: path.join(elsewhere, "secret.md") })).toMatchObject({ code: "FORBIDDEN" });
    expect(await app.value<SearchHit[]>("search.query", { query: "quartermaster" })).toEqual([]);
    // The library itself never adds a folder on a re-index either.
    await expect(app.services.library.reindex({ folders: [elsewhere] })).rejects.toMatchObject({ code: "FOLDER_UNKNOWN" });
    expect(app.services.library.folders().map((f) => f.path)).toEqual([notes]);
  });

  it("re-indexes the library's own folders, named or all of them", async () => {
    fs.writeFileSync(path.join(notes, "dogs.md"), "# Dogs\n\nDogs guard the house.");
    expect(await app.value<IndexSummary>("library.reindex", { folders: [`${notes}/./`] })).toMatchObject({ files: 2, indexed: 1, unchanged: 1 });
    fs.writeFileSync(path.join(notes, "fish.md"), "# Fish\n\nFish swim in circles.");
    expect(await app.value<IndexSummary>("library.reindex", {})).toMatchObject({ files: 3, indexed: 1, unchanged: 2 });
    expect((await app.value<SearchHit[]>("search.query", { query: "circles" })).map((h) => path.basename(h.path))).toEqual(["fish.md"]);
  });
});

describe("a folder's ignore patterns", () => {
  const files = {
    "keep.md": "# Keep\n\nkeepsake",
    "notes.txt": "scratch words",
    "keep.txt": "keepsake too",
    ".secret.md": "hiddenword in a hidden file",
    ".hidden/note.md": "hiddenword in a hidden folder",
    "sub/.env.md": "hiddenword deeper down",
    "node_modules/pkg/readme.md": "hiddenword of a dependency",
    ".obsidian/workspace.md": "hiddenword of the editor",
  };
  // Every way .gitignore has to bring a path back, aimed at the built-in ignores.
  const negations = ["!.*", "!.*/", "!**/.*", "!.hidden/", "!.hidden/**", "!node_modules/", "!node_modules/**", "!.obsidian/"];
  const indexedNames = async (app: TestApp) =>
    (await app.value<FileStatus[]>("library.files", {})).map((f) => path.relative(app.services.library.folders()[0]!.path, f.path)).sort();

  it("cannot bring back hidden files and folders or node_modules, while their own negations still work", async () => {
    const notes = path.join(root, "patterns");
    writeFiles(notes, files);
    const app = open("patterns.db");
    await app.addChosenFolder(notes, ["*.txt", "!keep.txt", ...negations]);
    expect(await indexedNames(app)).toEqual(["keep.md", "keep.txt"]);

    await app.value("library.configureFolder", { path: notes, ignorePatterns: negations });
    expect(await indexedNames(app)).toEqual(["keep.md", "keep.txt", "notes.txt"]);
    // Adding the same folder again with new patterns goes through the same rules.
    await app.addChosenFolder(notes, negations);
    await app.value("library.reindex", {});
    expect(await indexedNames(app)).toEqual(["keep.md", "keep.txt", "notes.txt"]);

    // A change seen by the watcher is judged by the same rules.
    fs.writeFileSync(path.join(notes, ".secret.md"), "hiddenword edited");
    await app.services.library.applyChanges([path.join(notes, ".secret.md"), path.join(notes, ".hidden", "note.md")]);
    expect(await indexedNames(app)).toEqual(["keep.md", "keep.txt", "notes.txt"]);
    expect(await app.value<SearchHit[]>("search.query", { query: "hiddenword" })).toEqual([]);
    for (const hidden of [".secret.md", ".hidden/note.md", "node_modules/pkg/readme.md"]) {
      expect(await app.failure("notes.read", { path: path.join(notes, hidden) })).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});
