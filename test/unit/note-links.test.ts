import { describe, expect, it } from "vitest";
import { headingSlug, isNoteLink, resolveNoteLink } from "../../renderer/src/chat/note-links.js";

describe("resolveNoteLink", () => {
  const from = "/home/me/notes/birds/pelicans.md";
  it("resolves a link against the note's own folder", () => {
    expect(resolveNoteLink(from, "herons.md")).toEqual({ path: "/home/me/notes/birds/herons.md", fragment: null });
    expect(resolveNoteLink(from, "./sea/gulls.md")).toEqual({ path: "/home/me/notes/birds/sea/gulls.md", fragment: null });
    expect(resolveNoteLink(from, "../cats.md#sleep")).toEqual({ path: "/home/me/notes/cats.md", fragment: "sleep" });
    expect(resolveNoteLink(from, "big%20birds/emu%20notes.md#Long%20legs")).toEqual({ path: "/home/me/notes/birds/big birds/emu notes.md", fragment: "Long legs" });
    expect(resolveNoteLink(from, "100%.md")).toEqual({ path: "/home/me/notes/birds/100%.md", fragment: null });
    expect(resolveNoteLink(from, "herons.md?x=1")).toEqual({ path: "/home/me/notes/birds/herons.md", fragment: null });
  });

  it("keeps a heading in the same note as the same note", () => {
    expect(resolveNoteLink(from, "#food")).toEqual({ path: from, fragment: "food" });
  });

  it("follows .. as far as the root, and leaves the library's bounds to main", () => {
    expect(resolveNoteLink(from, "../../outside.md")).toEqual({ path: "/home/me/outside.md", fragment: null });
    expect(resolveNoteLink(from, "../../../../../../etc/passwd")).toEqual({ path: "/etc/passwd", fragment: null });
  });

  it("writes Windows paths with backslashes", () => {
    expect(resolveNoteLink("C:\\notes\\birds\\pelicans.md", "../cats.md")).toEqual({ path: "C:\\notes\\cats.md", fragment: null });
    expect(resolveNoteLink("C:\\notes\\pelicans.md", "sub\\gulls.md")).toEqual({ path: "C:\\notes\\sub\\gulls.md", fragment: null });
  });

  it("is not a note link when it has a scheme or a root", () => {
    for (const href of ["https://example.com/a.md", "mailto:a@b.c", "file:///etc/passwd", "javascript:alert(1)", "C:\\x.md", "/etc/passwd", "//host/a.md", "\\\\server\\share\\a.md", ""]) {
      expect(isNoteLink(href)).toBe(false);
      expect(resolveNoteLink(from, href)).toBeNull();
    }
  });
});

describe("headingSlug", () => {
  it("writes a heading as GitHub's anchor does", () => {
    expect(headingSlug("Second part")).toBe("second-part");
    expect(headingSlug(" What's new? (2024) ")).toBe("whats-new-2024");
    expect(headingSlug("Кошки и еда")).toBe("кошки-и-еда");
    expect(headingSlug("second-part")).toBe("second-part");
  });
});
