import { describe, expect, it } from "vitest";
import { jsonLine, terminalText, terminalTextStream } from "../../main/cli/terminal-text.js";

/** Any C0 or C1 control but \n and \t, and the bidi controls: what a terminal must not get from a note. */
// eslint-disable-next-line no-control-regex -- the controls are what this looks for
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE: [string, string, string][] = [
  ["CSI colours", "a\x1b[1;31mred\x1b[0m b", "ared b"],
  ["CSI with private parameters and an intermediate", "a\x1b[?25l\x1b[2 qb", "ab"],
  ["OSC 52 ended by BEL", "a\x1b]52;c;ZWNobyBwd25lZA==\x07b", "ab"],
  ["OSC 52 ended by ST (ESC \\)", "a\x1b]52;c;ZWNobyBwd25lZA==\x1b\\b", "ab"],
  ["OSC 8 hyperlink", "a\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\b", "aclickb"],
  ["the window title", "a\x1b]0;pwned\x07b", "ab"],
  ["DCS", "a\x1bP1$r0m\x1b\\b", "ab"],
  ["APC, PM and SOS", "a\x1b_x\x1b\\b\x1b^y\x1b\\c\x1bXz\x1b\\d", "abcd"],
  ["C1 CSI", "a\u009b31mb", "ab"],
  ["C1 OSC ended by C1 ST", "a\u009d52;c;eA==\u009cb", "ab"],
  ["a string ended by another escape", "a\x1b]0;title\x1b[31mb", "ab"],
  ["two-character and nF escapes", "a\x1bcb\x1b7c\x1b(Bd\x1b#8e", "abcde"],
  ["a lone ESC and other C0 controls", "a\x1b\x00\x07\x08\x0b\x0c\x7fb", "ab"],
  ["carriage returns, which could overwrite a line", "safe\rEVIL\r\nnext", "safeEVIL\nnext"],
  ["other C1 controls", "a\u0085\u008e\u0090b\u009cc", "ac"],
];

describe("terminalText", () => {
  it.each(HOSTILE)("drops %s", (_what, input, expected) => {
    const out = terminalText(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(UNSAFE);
  });

  it("keeps text, new lines, tabs and any script as they are", () => {
    const text = "Кошки\tспят\nна подоконниках 🐈 — 猫, قطط";
    expect(terminalText(text)).toBe(text);
  });

  it("shows bidi controls as escapes, so a file name cannot pass for another", () => {
    expect(terminalText("rtl\u202Egnp.exe.md")).toBe("rtl\\u202Egnp.exe.md");
    expect(terminalText("\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C")).toBe(
      "\\u202A\\u202B\\u202C\\u202D\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C",
    );
  });

  it("lets an unterminated control string swallow the rest, as a terminal would", () => {
    expect(terminalText("a\x1b]52;c;ZWNobw==")).toBe("a");
    expect(terminalText("a\x1b[")).toBe("a");
  });

  it("ends a sequence at a character that cannot be part of it, and keeps that character", () => {
    expect(terminalText("a\x1b[3ь")).toBe("aь");
    expect(terminalText("a\x1bж")).toBe("aж");
    expect(terminalText("a\x1b[3\nb")).toBe("a\nb");
  });
});

describe("terminalTextStream", () => {
  const all = HOSTILE.map(([, input]) => input).join(" | ");
  const whole = terminalText(all);

  it("gives the same text however the input is split, a sequence split across chunks included", () => {
    expect(whole).not.toMatch(UNSAFE);
    for (let size = 1; size <= 7; size++) {
      const filter = terminalTextStream();
      let out = "";
      for (let i = 0; i < all.length; i += size) out += filter(all.slice(i, i + size));
      expect(out, `chunks of ${size}`).toBe(whole);
    }
  });

  it("drops an OSC 52 whose pieces arrive in separate chunks", () => {
    const filter = terminalTextStream();
    const out = ["Cats ", "\x1b", "]5", "2;c;ZWNobyBw", "d25lZA==", "\x1b", "\\", "sleep."].map(filter);
    expect(out).toEqual(["Cats ", "", "", "", "", "", "", "sleep."]);
  });

  it("keeps the state of one stream to itself", () => {
    const a = terminalTextStream();
    const b = terminalTextStream();
    expect(a("x\x1b]0;")).toBe("x");
    expect(b("visible")).toBe("visible");
    expect(a("still title\x07shown")).toBe("shown");
  });
});

describe("jsonLine", () => {
  it("writes C1 controls, bidi marks and line separators as \\u escapes, and parses back to the same value", () => {
    const value = { title: "a\u009b31mred\u0085 rtl\u202Egnp\u2066x\u2028y\u007f", n: [1, "é", "кот"] };
    const line = jsonLine(value);
    expect(line).toBe('{"title":"a\\u009b31mred\\u0085 rtl\\u202egnp\\u2066x\\u2028y\\u007f","n":[1,"é","кот"]}');
    expect(JSON.parse(line)).toEqual(value);
    expect(terminalText(line)).toBe(line);
  });
});
