import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readObsidian } from "../../main/library/ingest/obsidian.js";
import { Library } from "../../main/library/library.js";
import { runCli, tempDir, writeFiles } from "../helpers.js";

const VAULT = {
  ".obsidian/app.json": "{}",
  "Harbour.md": [
    "---",
    "aliases: [Port of Call, Anchorage]",
    "tags: [places, project/alpha]",
    "---",
    "# Harbour",
    "",
    "The [[Lighthouse]] guards the entrance; see [[Lighthouse#Lamp room|the lamp]] and [[Tides#Spring tides]].",
    "Block links: [[Tides#^moon-1]].",
    "",
    "![[harbour-map.png]]",
    "![[Tides]]",
    "",
    "%% private: the keeper's salary is zyxsecretword %%",
    "A line with %%an inline zyxsecondsecret%% comment and ==bright highlight== text. ^harbour-1",
    "",
    "> [!warning] Rocks ahead",
    "> Keep to the buoys at low water.",
    "",
    "%%",
    "A comment over lines: zyxthirdsecret",
    "%%",
    "Tagged #shipping and #project/beta, not an anchor like example.com/#top nor C#.",
    "",
    "```",
    "[[not a link]] ==not a highlight== #notatag %%not a comment%%",
    "```",
    "Inline `[[code]] #codetag` stays.",
  ].join("\n"),
  "Lighthouse.md": "# Lighthouse\n\n## Lamp room\n\nThe Fresnel lens turns in the lamp room.\n",
  "Tides.md": "---\ntags: tides\n---\n# Tides\n\n## Spring tides\n\nSpring tides follow the new moon. ^moon-1\n",
  "Anchors.md": "# Anchors\n\nA note about anchors, chains and an anchorage for small boats, port side.\n",
};

describe("Obsidian-flavoured Markdown, as indexed", () => {
  it("reads every construct as it reads, keeping each line where it was and code as written", () => {
    const body = VAULT["Harbour.md"].split("\n").slice(4).join("\n");
    const { text, tags } = readObsidian(body);
    expect(text.split("\n")).toHaveLength(body.split("\n").length);
    const lines = text.split("\n");
    expect(lines[2]).toBe("The Lighthouse guards the entrance; see the lamp and Tides > Spring tides.");
    expect(lines[3]).toBe("Block links: Tides.");
    expect(lines[5]).toBe("harbour-map.png");
    expect(lines[6]).toBe("Tides");
    expect(lines[8]).toBe("");
    expect(lines[9]!.replace(/ +/g, " ")).toBe("A line with comment and bright highlight text.");
    expect(lines[11]).toBe("> Warning: Rocks ahead");
    expect(lines.slice(14, 17)).toEqual(["", "", ""]);
    expect(text).not.toMatch(/zyx/);
    expect(lines[20]).toBe("[[not a link]] ==not a highlight== #notatag %%not a comment%%");
    expect(lines[22]).toBe("Inline `[[code]] #codetag` stays.");
    expect(tags.sort()).toEqual(["project/beta", "shipping"]);
  });
});

const open: Library[] = [];
afterEach(async () => {
  for (const lib of open.splice(0)) await lib.close().catch(() => undefined);
});

async function indexVault() {
  const root = fs.realpathSync(tempDir());
  const vault = path.join(root, "vault");
  writeFiles(vault, VAULT);
  const dbPath = path.join(root, "lib.db");
  const lib = Library.open(dbPath, { threads: 1 });
  open.push(lib);
  const summary = await lib.index({ folders: [vault] });
  return { lib, vault, dbPath, summary };
}

describe("an Obsidian vault in the library", () => {
  it("indexes links as their text, leaves comments and embedded notes out, and keeps the preview's text as written", async () => {
    const { lib, vault, summary } = await indexVault();
    expect(summary.indexed).toBe(4);
    expect(lib.search("zyxsecretword zyxsecondsecret zyxthirdsecret")).toEqual([]);
    const [hit] = lib.search("bright highlight", { k: 1 });
    expect(hit?.snippet).toContain("bright highlight text");
    expect(hit?.snippet).not.toContain("==");
    // A callout reads as its type and title, without the quote's markers.
    expect(lib.search("warning rocks ahead", { k: 1 })[0]?.snippet).toContain("Warning: Rocks ahead Keep to the buoys");
    // The embed names Tides; Tides' own words are not copied into Harbour.
    expect(lib.search("new moon", { k: 5 }).map((h) => path.basename(h.path))).toEqual(["Tides.md"]);
    const note = await lib.noteText(lib.file(path.join(vault, "Harbour.md"))!);
    expect(note.kind === "note" && note.markdown).toContain("[[Lighthouse#Lamp room|the lamp]]");
  });

  it("filters by tag, from the text and from front matter, nested tags under their parent", async () => {
    const { lib } = await indexVault();
    const names = (tags: string[]) => lib.search("tides harbour lighthouse", { k: 10, filters: { tags } }).map((h) => path.basename(h.path)).sort();
    expect(names(["places"])).toEqual(["Harbour.md"]);
    expect(names(["#Project"])).toEqual(["Harbour.md"]);
    expect(names(["project/beta", "shipping"])).toEqual(["Harbour.md"]);
    expect(names(["tides"])).toEqual(["Tides.md"]);
    expect(names(["places", "tides"])).toEqual([]);
    expect(names(["proj"])).toEqual([]);
    expect(names(["notatag"])).toEqual([]);
    expect(names(["codetag"])).toEqual([]);
  });

  it("ranks a note by its aliases as by its title", async () => {
    const { lib } = await indexVault();
    // "Anchors" says anchorage and port in its body; Harbour is called "Port of Call" and "Anchorage".
    expect(path.basename(lib.search("anchorage", { k: 1 })[0]!.path)).toBe("Harbour.md");
    expect(path.basename(lib.search("port of call", { k: 1 })[0]!.path)).toBe("Harbour.md");
  });

  it("takes --tag, repeatable, on the command line", async () => {
    const { dbPath } = await indexVault();
    await open.splice(0)[0]!.close();
    const run = await runCli(["search", "tides harbour lighthouse", "--db", dbPath, "--json", "--tag", "project", "--tag", "shipping"]);
    expect(run.stderr).toBe("");
    expect((JSON.parse(run.stdout) as Array<{ path: string }>).map((h) => path.basename(h.path))).toEqual(["Harbour.md"]);
    const bad = await runCli(["search", "tides", "--db", dbPath, "--tag", "#"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--tag needs a tag name");
  });
});
