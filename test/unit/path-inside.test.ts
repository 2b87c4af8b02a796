import path from "node:path";
import { describe, expect, it } from "vitest";
import { isInside } from "../../main/path-inside.js";

describe("isInside", () => {
  const notes = path.resolve("/home/me/notes");
  it("knows a real step out from a name that starts with two dots", () => {
    expect(isInside(path.join(notes, "..odd.md"), notes)).toBe(true);
    expect(isInside(path.join(notes, "sub", "a.md"), notes)).toBe(true);
    expect(isInside(notes, notes)).toBe(false);
    expect(isInside(path.join(notes, ".."), notes)).toBe(false);
    expect(isInside(path.join(notes, "..", "secret.md"), notes)).toBe(false);
    expect(isInside(path.resolve("/home/me/notes2/a.md"), notes)).toBe(false);
  });
});
