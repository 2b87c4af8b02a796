import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../main/library/library.js";
import { makeSnippet } from "../../main/library/search.js";
import { termOf } from "../../main/library/text/analyze.js";
import { tempDir, writeFiles } from "../helpers.js";

let lib: Library;
let notes: string;

beforeAll(async () => {
  const root = tempDir();
  notes = path.join(root, "notes");
  writeFiles(notes, {
    "cats.md": "# Домашние животные\n\nКошки любят спать на подоконниках, особенно зимой.\n",
    "dogs.md": "# Собаки\n\nСобака охраняет дом и гуляет в парке.\n",
    "en/garden.md": "# Gardening\n\nTomatoes need plenty of sunlight and regular watering.\n",
    "en/kitchen.txt": "Recipes: roast the tomatoes with garlic and olive oil.\n",
    "web/page.html": "<html><head><title>Ночная смена</title></head><body><p>Дежурный врач принимает пациентов ночью.</p></body></html>",
    "weights/body.md": "# Notes\n\nA long paragraph that mentions lighthouse once among many other words about the sea and ships.\n",
    "weights/title.md": "# Lighthouse\n\nKeepers lived on the rock for months.\n",
  });
  lib = Library.open(path.join(root, "lib.db"), { threads: 1 });
  await lib.index({ folders: [notes] });
});

afterAll(() => lib.close());

describe("search", () => {
  it("finds a Russian passage from differently inflected words", () => {
    const hits = lib.search("кошка спит на подоконнике");
    expect(hits[0]).toMatchObject({ path: path.join(fs.realpathSync(notes), "cats.md"), title: "Домашние животные", lineStart: 1, lineEnd: 3 });
  });

  it("highlights the words as written in the note, not their stems", () => {
    const [hit] = lib.search("кошка подоконник");
    const marked = hit!.highlights.map(([s, e]) => hit!.snippet.slice(s, e));
    expect(marked).toEqual(["Кошки", "подоконниках"]);
  });

  it("finds English and HTML notes", () => {
    expect(lib.search("tomato sunlight")[0]!.path).toMatch(/garden\.md$/);
    expect(lib.search("дежурные врачи")[0]).toMatchObject({ title: "Ночная смена", format: "html" });
  });

  it("weighs a word in a title above the same word in body text", () => {
    const hits = lib.search("lighthouse");
    expect(hits.map((h) => path.basename(h.path))).toEqual(["title.md", "body.md"]);
  });

  it("never raises a syntax error, whatever is typed", () => {
    const nasty = [
      '"unbalanced', "foo*", "*", "NEAR(a b)", "title: кошки", "col:x", "((a OR b", ")", "AND", "OR NOT", "a AND OR b",
      "NOT кошки", "^start", "-minus +plus", "🐈‍⬛ 😺 кошки", "'; DROP TABLE chunks; --", "\u0000\u0001", "", "   ",
      "кошки ".repeat(2000), "x".repeat(10_000), Array.from({ length: 3000 }, (_, i) => `w${i}`).join(" "),
    ];
    for (const q of nasty) expect(() => lib.search(q), q.slice(0, 40)).not.toThrow();
    expect(lib.search('"кошки" AND (подоконник')[0]!.path).toMatch(/cats\.md$/);
    expect(lib.search("🐈 кошки")[0]!.path).toMatch(/cats\.md$/);
    expect(lib.search("!!! ???")).toEqual([]);
  });

  it("filters by folder, path prefix and format", () => {
    const real = fs.realpathSync(notes);
    expect(lib.search("tomatoes", { filters: { formats: ["text"] } }).map((h) => path.basename(h.path))).toEqual(["kitchen.txt"]);
    expect(lib.search("tomatoes", { filters: { pathPrefix: path.join(real, "en", "gard") } }).map((h) => path.basename(h.path))).toEqual(["garden.md"]);
    expect(lib.search("tomatoes", { filters: { folder: real } })).toHaveLength(2);
    expect(lib.search("tomatoes", { filters: { folder: path.join(real, "web") } })).toEqual([]);
  });

  it("respects k", () => {
    expect(lib.search("the", { k: 1 })).toHaveLength(1);
  });
});

describe("makeSnippet", () => {
  const terms = (...words: string[]) => new Set(words.map(termOf));

  it("centers on the densest cluster of distinct query words", () => {
    const text = `${"filler ".repeat(80)}alpha ${"filler ".repeat(80)}alpha beta gamma ${"filler ".repeat(80)}`;
    const { snippet, highlights } = makeSnippet(text, terms("alpha", "beta", "gamma"), 120);
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(["alpha", "beta", "gamma"]);
    expect(snippet.startsWith("…") && snippet.endsWith("…")).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(122);
  });

  it("collapses whitespace without shifting highlights", () => {
    const { snippet, highlights } = makeSnippet("Кошки\n\n  любят\tспать", terms("спать"));
    expect(snippet).toBe("Кошки любят спать");
    expect(highlights).toEqual([[12, 17]]);
  });

  it("leaves out Markdown heading markers, keeping a # inside the text", () => {
    const { snippet, highlights } = makeSnippet("# Кошки\n\n## Сон\n\nКошки спят, как C# ## не мешает.", terms("сон", "кошки"));
    expect(snippet).toBe("Кошки Сон Кошки спят, как C# ## не мешает.");
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(["Кошки", "Сон", "Кошки"]);
  });
});
