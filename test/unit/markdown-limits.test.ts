import { describe, expect, it } from "vitest";
import { MAX_NESTING, MAX_TREE_DEPTH, nestingDepth, treeDepth } from "../../renderer/src/chat/markdown-limits.js";
import { parseMarkdown, precheck } from "../../renderer/src/chat/markdown-tree.js";

const ladder = (levels: number) => Array.from({ length: levels }, (_, i) => `${"  ".repeat(i)}- rung${i}`).join("\n");

describe("nestingDepth", () => {
  it("counts quotes and list items in a line's prefix, and list items kept open by indentation", () => {
    expect(nestingDepth("Just a paragraph.\n\nAnother one.")).toBe(0);
    expect(nestingDepth("> quoted\n> > twice")).toBe(2);
    expect(nestingDepth(">".repeat(3000))).toBe(3000);
    expect(nestingDepth("- a\n  - b\n    - c\n- d")).toBe(3);
    expect(nestingDepth("1. a\n   1) b\n      * c")).toBe(3);
    expect(nestingDepth("- - - a")).toBe(3);
    expect(nestingDepth("> - > - a")).toBe(4);
    expect(nestingDepth(ladder(1000))).toBe(1000);
    // A list item ends where a line is no longer indented into it; blank lines keep it open.
    expect(nestingDepth("- a\n\n  - b\nplain\n- c")).toBe(2);
  });

  it("ignores what only looks like nesting: fenced code, dashes inside words, numbers without a dot", () => {
    expect(nestingDepth("```\n> > > > code\n- - - - -\n```\ntext")).toBe(0);
    expect(nestingDepth("~~~\n" + "- ".repeat(100) + "\n~~~")).toBe(0);
    expect(nestingDepth("well-known -words 2024 is a year\n*emphasis*")).toBe(0);
  });

  it("stops early once past the limit", () => {
    expect(nestingDepth(`${">".repeat(40)}\n${">".repeat(5000)}`, MAX_NESTING)).toBe(40);
  });
});

describe("treeDepth", () => {
  it("counts elements inside one another, without recursing", () => {
    expect(treeDepth({ children: [] })).toBe(0);
    expect(treeDepth({ children: [{ children: [{ children: [] }, { value: "text" }] }, { children: [] }] })).toBe(2);
    let deep: { children: unknown[] } = { children: [] };
    for (let i = 0; i < 100_000; i++) deep = { children: [deep] };
    expect(treeDepth(deep)).toBe(100_000);
  });
});

describe("precheck and parseMarkdown", () => {
  it("formats ordinary Markdown, nested as deeply as real notes go", () => {
    const result = parseMarkdown(`# Title\n\n${ladder(MAX_NESTING)}\n\n> > quoted **bold**`);
    expect(result.kind).toBe("tree");
    expect(precheck(ladder(MAX_NESTING), 1e6)).toBeNull();
  });

  it("leaves raw HTML out of the tree", () => {
    const result = parseMarkdown("<img src=x onerror=alert(1)>\n\n<b>bold</b> text");
    expect(JSON.stringify(result)).not.toMatch(/img|onerror|"raw"/);
  });

  it("gives the reason to show a text unformatted", () => {
    expect(precheck("x".repeat(101), 100)).toBe("long");
    expect(precheck(`${">".repeat(3000)} deep`, 1e6)).toBe("deep");
    expect(precheck(ladder(MAX_NESTING + 1), 1e6)).toBe("deep");
    // Inline nesting no line prefix shows: the parsed tree is measured too.
    const emphasis = `${"*a _".repeat(200)}x${"_ a*".repeat(200)}`;
    expect(precheck(emphasis, 1e6)).toBeNull();
    expect(parseMarkdown(emphasis)).toEqual({ kind: "plain", reason: "deep" });
    expect(MAX_TREE_DEPTH).toBeLessThan(400);
  });
});
