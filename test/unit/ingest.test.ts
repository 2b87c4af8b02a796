import { describe, expect, it } from "vitest";
import { chunkDocument, firstHeading } from "../../main/library/ingest/chunk.js";
import { decodeText } from "../../main/library/ingest/decode.js";
import { splitFrontMatter } from "../../main/library/ingest/front-matter.js";
import { htmlToMarkdown } from "../../main/library/ingest/html.js";
import { parseDocument } from "../../main/library/ingest/parse.js";

const bytes = (s: string) => new TextEncoder().encode(s);

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

describe("decodeText", () => {
  it("reads UTF-8 with and without a BOM", () => {
    expect(decodeText(bytes("Привет"))).toEqual({ kind: "text", text: "Привет" });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("Привет")]))).toEqual({ kind: "text", text: "Привет" });
  });

  it("reads UTF-16 LE and BE with a BOM", () => {
    expect(decodeText(utf16("Ёжик в тумане", false))).toEqual({ kind: "text", text: "Ёжик в тумане" });
    expect(decodeText(utf16("Ёжик в тумане", true))).toEqual({ kind: "text", text: "Ёжик в тумане" });
  });

  it("replaces invalid UTF-8 instead of failing", () => {
    expect(decodeText(new Uint8Array([0x61, 0xff, 0xfe, 0x62]))).toEqual({ kind: "text", text: "a\ufffd\ufffdb" });
  });

  it("calls content with NUL bytes binary", () => {
    expect(decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))).toEqual({ kind: "binary" });
  });
});

describe("splitFrontMatter", () => {
  it("splits YAML front matter and reports where the body starts", () => {
    const fm = splitFrontMatter("---\ntitle: Заметка\ntags: [a, b]\n---\n# Body\n");
    expect(fm.data).toEqual({ title: "Заметка", tags: ["a", "b"] });
    expect(fm.body).toBe("# Body\n");
    expect(fm.bodyLine).toBe(5);
  });

  it("leaves a leading thematic break or invalid YAML in the body", () => {
    expect(splitFrontMatter("---\nJust text: [unclosed\n---\nmore").body).toBe("---\nJust text: [unclosed\n---\nmore");
    expect(splitFrontMatter("---\n- a list\n---\nx").bodyLine).toBe(1);
  });
});

describe("htmlToMarkdown", () => {
  it("keeps GFM tables and strikethrough and drops script, style and nav", () => {
    const { markdown, title } = htmlToMarkdown(
      "<html><head><title>Q&amp;A</title><style>.x{color:red}</style></head><body><nav>Home | About</nav><h1>Итоги</h1>" +
        "<script>alert('x')</script><table><tr><th>Год</th><th>Очки</th></tr><tr><td>2015</td><td>308</td></tr></table><p><del>old</del> new</p></body></html>",
    );
    expect(title).toBe("Q&A");
    expect(markdown).toContain("# Итоги");
    expect(markdown).toMatch(/\| Год\s*\| Очки\s*\|/);
    expect(markdown).toContain("~~old~~ new");
    expect(markdown).not.toMatch(/alert|color:red|Home \| About|Q&A/);
  });

  it("reads HTML as a browser would: implied ends, entities, code blocks, lists, links and kept tables", () => {
    const convert = (html: string) => htmlToMarkdown(html).markdown;
    expect(convert("<p>one<p>two<div>three</div>")).toBe("one\n\ntwo\n\nthree");
    expect(convert("<ul><li>a<li>b<ul><li>c</ul></ul>")).toBe("-   a\n-   b\n    -   c");
    expect(convert('<ol start="3"><li>x<li>y</ol>')).toBe("3.  x\n4.  y");
    // The newline right after <pre> only makes the source readable; one inside its <code> is the code's.
    expect(convert("<pre>\n  indented</pre>")).toBe("  indented");
    expect(convert('<pre><code class="language-js">\nlet x = 1;\n</code></pre>')).toBe("```js\n\nlet x = 1;\n```");
    expect(convert("<p>a &amp; b &lt;c&gt; &#x41;&copy;</p>")).toBe("a & b <c> A©");
    expect(convert('<a href="x.html" title="t">link</a> <img src="i.png" alt="alt">')).toBe('[link](x.html "t") ![alt](i.png)');
    expect(convert('<?xml version="1.0"?><!DOCTYPE html><html><head><title>T</title></head><body><h1>H</h1><p>x<!-- c -->y</p></body></html>')).toBe("# H\n\nxy");
    expect(convert("<table><tr><th>A<th>B<tr><td>1<td>2</table>")).toBe("| A   | B   |\n| --- | --- |\n| 1   | 2   |");
    expect(convert('<table><tr><td style="text-align:right">r</td><td align="center">c</td></tr><tr><td>1</td><td>2</td></tr></table>')).toContain("| ---: | :---: |");
    // A table that Markdown cannot hold stays HTML, as the browser's parser builds it.
    expect(convert("<table><tr><td><p>a</p><ul><li>b</li></ul></td></tr><tfoot><tr><td>F</td></tr></tfoot></table>")).toContain(
      "<table><tbody><tr><td><p>a</p><ul><li>b</li></ul></td></tr></tbody><tfoot><tr><td>F</td></tr></tfoot></table>",
    );
    expect(convert("<table><tr><th>A</th></tr><tr><td>1</td></tr><tfoot><tr><td>F</td></tr></tfoot></table>")).toBe("| A   |\n| --- |\n| 1   |\n| F   |");
    expect(convert("<b>bold <i>both</b> after</i>")).toBe("**bold _both_** after");
  });

  it("converts a table of 20,000 rows, and a list of 100,000 items", () => {
    const table = htmlToMarkdown("<table><tr><th>n</th><th>square</th></tr>" + Array.from({ length: 20_000 }, (_, i) => `<tr><td>${i}</td><td>${i * i}</td></tr>`).join("\n") + "</table>");
    const lines = table.markdown.split("\n");
    expect(lines).toHaveLength(20_002);
    expect(lines.at(-1)).toBe("| 19999 | 399960001 |");
    const list = htmlToMarkdown("<ul>" + "<li>item</li>\n".repeat(100_000) + "</ul>").markdown;
    expect(list.split("\n")).toHaveLength(100_000);
  });

  it("converts pathologically deep markup without crashing", () => {
    const html = "<div>".repeat(10_000) + "глубоко вложенный текст" + "</div>".repeat(10_000);
    expect(htmlToMarkdown(html).markdown).toContain("глубоко вложенный текст");
  });
});

describe("chunkDocument", () => {
  it("splits at headings, carrying the heading path and exact line numbers", () => {
    const md = "# Book\n\n## One\n\nFirst para.\n\n```sh\n# a comment, not a heading\n```\n\n## Two\n\nSecond para.\n";
    const chunks = chunkDocument(md, { markdown: true, firstLine: 4 });
    // "# Book" has no text of its own, so it opens the first chunk rather than being one.
    expect(chunks.map((c) => c.headingPath)).toEqual([["Book", "One"], ["Book", "Two"]]);
    expect(chunks[0]).toMatchObject({ lineStart: 4, lineEnd: 12 });
    expect(chunks[0]!.text).toContain("# a comment, not a heading");
    expect(chunks[1]).toMatchObject({ lineStart: 14, lineEnd: 16, text: "## Two\n\nSecond para." });
  });

  it("recognizes setext headings", () => {
    const chunks = chunkDocument("Title\n=====\n\nIntro\n\nPart\n----\n\nBody\n", { markdown: true });
    expect(chunks.map((c) => c.headingPath)).toEqual([["Title"], ["Title", "Part"]]);
  });

  it("never exceeds the limit, splitting at paragraphs, then sentences, then words", () => {
    const para = "Это предложение о заметках. ".repeat(40).trim();
    const longSentence = "слово ".repeat(1500).trim();
    const md = `# H\n\n${[para, para, para, para].join("\n\n")}\n\n${longSentence}\n`;
    const chunks = chunkDocument(md, { markdown: true, maxChars: 2000 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(2000);
      expect(md.split("\n").slice(c.lineStart - 1, c.lineEnd).join("\n")).toContain(c.text.slice(0, 30));
    }
    // Nothing is lost between chunks.
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    expect(chunks.reduce((n, c) => n + words(c.text), 0)).toBe(words(md));
  });

  it("treats headings in plain text as text", () => {
    expect(chunkDocument("# not a heading\nline", { markdown: false })[0]!.headingPath).toEqual([]);
  });

  it("finds the first heading for a title", () => {
    expect(firstHeading("intro\n\n## Second level first\n# Then first")).toBe("Second level first");
  });
});

describe("parseDocument titles", () => {
  it("takes front matter, then <title>, then the first heading, then the file name", async () => {
    const title = async (text: string, file: string, format: "markdown" | "html" | "text") => {
      const parsed = await parseDocument(bytes(text), file, format);
      return parsed.kind === "document" ? parsed.title : parsed.reason;
    };
    expect(await title("---\ntitle: From YAML\n---\n<title>T</title><h1>H</h1>", "/n/a.html", "html")).toBe("From YAML");
    expect(await title("<title>From title</title><h1>H</h1>", "/n/a.html", "html")).toBe("From title");
    expect(await title("<h2>From heading</h2><p>x</p>", "/n/a.html", "html")).toBe("From heading");
    expect(await title("---\ntitle: Из YAML\n---\n# H\n", "/n/a.md", "markdown")).toBe("Из YAML");
    expect(await title("text\n\n# Heading\n", "/n/a.md", "markdown")).toBe("Heading");
    expect(await title("# not a heading in text\n", "/n/Заметка.txt", "text")).toBe("Заметка");
    expect(await title("   \n", "/n/empty.md", "markdown")).toBe("empty file");
  });

  it("keeps line numbers of the original file after front matter", async () => {
    const parsed = await parseDocument(bytes("---\ntitle: x\n---\n\n# Body\n\ntext\n"), "/n/a.md", "markdown");
    expect(parsed.kind === "document" && parsed.chunks[0]).toMatchObject({ lineStart: 5, lineEnd: 7 });
  });

  it("handles the front matter of the Pro Git HTML pages", async () => {
    const html = "---\ncategory: book\ntitle: Git - Заключение\nbook:\n  chapter:\n    number: 9\n---\n<h2 id=\"x\">Заключение</h2>\n<div class=\"paragraph\"><p>После всего вышесказанного</p></div>\n";
    const parsed = await parseDocument(bytes(html), "/n/x.html", "html");
    expect(parsed).toMatchObject({ kind: "document", title: "Git - Заключение" });
    expect(parsed.kind === "document" && parsed.chunks[0]!.text).toBe("## Заключение\n\nПосле всего вышесказанного");
  });
});
