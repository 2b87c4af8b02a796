import { describe, expect, it } from "vitest";
import { visibleText } from "../../renderer/src/ui/visible-text.js";

describe("visibleText", () => {
  it("shows bidi controls as escapes, so a name reads as what it is", () => {
    expect(visibleText("rtl\u202Egnp.exe.md")).toBe("rtl\\u202Egnp.exe.md");
    const bidi = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    expect(visibleText(bidi)).toBe("\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C");
  });

  it("shows control, zero-width and other invisible characters as escapes", () => {
    expect(visibleText("a\u0000b\u0007c\nd\te\u007F\u0085")).toBe("a\\u0000b\\u0007c\\u000Ad\\u0009e\\u007F\\u0085");
    expect(visibleText("zero\u200Bwidth\uFEFFbom\u2060join\u00ADsoft\u3164filler\u2028line")).toBe(
      "zero\\u200Bwidth\\uFEFFbom\\u2060join\\u00ADsoft\\u3164filler\\u2028line",
    );
    expect(visibleText("tag\u{E0041}")).toBe("tag\\u{E0041}");
    expect(visibleText("lone\uD800")).toBe("lone\\uD800");
  });

  it("leaves ordinary names alone, emoji and joined scripts included", () => {
    for (const name of ["/home/me/notes/Кошки.md", "C:\\Notes\\日本語.md", "family 👨‍👩‍👧.md", "❤️ notes.md", "می‌خواهم.md", "naïve café.md"]) {
      expect(visibleText(name)).toBe(name);
    }
  });
});
