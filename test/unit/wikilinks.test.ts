import { describe, expect, it } from "vitest";
import type { FileStatus } from "../../shared/library.js";
import { resolveWikilinks } from "../../main/library/wikilinks.js";
import { resolveNoteLink, WIKILINK_HREF } from "../../renderer/src/chat/note-links.js";

const file = (path: string, status: FileStatus["status"] = "indexed"): FileStatus => ({ path, folder: "/vault", status, reason: null, title: "", format: "markdown", size: 1, chunks: 1 });
const FILES = [
  file("/vault/Harbour.md"),
  file("/vault/places/Lighthouse.md"),
  file("/vault/archive/Lighthouse.md"),
  file("/vault/archive/old/Tides.md"),
  file("/vault/maps/harbour map.pdf"),
  file("/vault/Skipped.md", "skipped"),
];

describe("wikilinks, as Obsidian resolves them", () => {
  it("by file name anywhere in the vault, the one beside the note first, then the shortest path; by path from the vault; case aside", () => {
    const markdown = "[[Lighthouse]] [[lighthouse#Lamp|the lamp]] [[archive/Lighthouse]] ![[Tides]] [[harbour map.pdf]] [[Nowhere]] [[Skipped]] `code`";
    expect(resolveWikilinks({ path: "/vault/places/Notes.md", folder: "/vault" }, markdown, FILES)).toEqual({
      Lighthouse: "/vault/places/Lighthouse.md",
      lighthouse: "/vault/places/Lighthouse.md",
      "archive/Lighthouse": "/vault/archive/Lighthouse.md",
      Tides: "/vault/archive/old/Tides.md",
      "harbour map.pdf": "/vault/maps/harbour map.pdf",
    });
    expect(resolveWikilinks({ path: "/vault/Harbour.md", folder: "/vault" }, "[[Lighthouse]]", FILES)).toEqual({ Lighthouse: "/vault/places/Lighthouse.md" });
    expect(resolveWikilinks({ path: "/vault/archive/x.md", folder: "/vault" }, "[[Lighthouse]]", FILES)).toEqual({ Lighthouse: "/vault/archive/Lighthouse.md" });
  });

  it("lead the preview to the resolved note and heading; a block id opens the top; an unknown name nowhere", () => {
    const links = { Lighthouse: "/vault/places/Lighthouse.md" };
    expect(resolveNoteLink("/vault/Harbour.md", `${WIKILINK_HREF}Lighthouse#Lamp room`, links)).toEqual({ path: "/vault/places/Lighthouse.md", fragment: "Lamp room" });
    expect(resolveNoteLink("/vault/Harbour.md", `${WIKILINK_HREF}Lighthouse#^block-1`, links)).toEqual({ path: "/vault/places/Lighthouse.md", fragment: null });
    expect(resolveNoteLink("/vault/Harbour.md", `${WIKILINK_HREF}#Moorings`, links)).toEqual({ path: "/vault/Harbour.md", fragment: "Moorings" });
    expect(resolveNoteLink("/vault/Harbour.md", `${WIKILINK_HREF}Nowhere`, links)).toBeNull();
  });
});
