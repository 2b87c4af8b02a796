import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskResult, Citation, Conversation, SourceRef } from "../../shared/chat.js";
import { transcriptSchema, type Transcript } from "../../shared/transcript.js";
import { importTranscript, renderTranscript } from "../../main/chat/transcript.js";
import { createServices, type Services } from "../../main/services.js";
import { launchChromium } from "../e2e/browser.js";
import { tempDir } from "../helpers.js";

const NOTES = "/home/аня/My Notes (2024)";
const cats: Citation = {
  docId: 0,
  chunkId: 11,
  path: `${NOTES}/Кошки & собаки.md`,
  title: "Домашние животные",
  heading: "Кошки › Сон",
  lineStart: 3,
  lineEnd: 5,
  snippet: "Кошки любят спать на подоконниках.",
  text: "Кошки любят спать на подоконниках.\n# Не заголовок\n[^9]: не сноска",
};
const food: Citation = { ...cats, docId: 2, chunkId: 14, heading: "Кошки › Еда", lineStart: 9, lineEnd: 9, snippet: "Кошки едят рыбу.", text: "Кошки едят рыбу." };
const ref = ({ text: _text, ...source }: Citation): SourceRef => source;
const garden: SourceRef = {
  docId: 1,
  chunkId: 20,
  path: `${NOTES}/garden.md`,
  title: "Garden",
  heading: "Garden",
  lineStart: 1,
  lineEnd: 4,
  snippet: "The dog runs around the garden.",
};

const result = (extra: Partial<AskResult>): AskResult => ({
  question: "",
  refused: false,
  relevantDocIds: [],
  answer: "",
  stopped: false,
  citations: [],
  candidates: [],
  omitted: [],
  context: { size: 8192, promptTokens: 2647, answerBudget: 1024, countedBy: "model", history: { sent: 0, leftOut: 0 } },
  truncated: false,
  tokens: { prompt: 2647, evaluated: 2700, reused: 13, generated: 42 },
  steps: { select: null, answer: null },
  timings: { retrieveMs: 4.5, selectMs: 812, answerMs: 1540, firstTokenMs: 230 },
  ...extra,
});

const XSS = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3)) [y](JaVaScRiPt:alert(4))";

let root: string;
let services: Services;
let conversation: Conversation;

beforeAll(() => {
  root = tempDir();
  services = createServices({ dbPath: path.join(root, "lib.db") });
  const { conversations } = services;
  const c = conversations.create("Кошки: где *спят* и что едят?");
  conversations.addExchange(
    c.id,
    "Где спят кошки?\nИ что они едят?",
    result({
      relevantDocIds: [0, 2],
      answer: "## Коротко\n\nКошки спят **на подоконниках**[^1] и едят рыбу.\n\n```\nкод без конца",
      citations: [cats, food],
      candidates: [ref(cats), garden, ref(food)],
    }),
    "tiny-vikhr-nemo-test",
    { k: 6, temperature: 0.3, contextSize: 8192 },
  );
  conversations.addExchange(
    c.id,
    "What is the capital of Mars?",
    result({
      refused: true,
      answer: "Your notes do not answer this.",
      candidates: [{ ...garden, docId: 0, shortened: true }, { ...ref(cats), docId: 1 }],
      omitted: [{ ...ref(food), docId: 2, reason: "did not fit the context" }],
      tokens: { prompt: 900, evaluated: 900, reused: 0, generated: 2 },
    }),
    "tiny-vikhr-nemo-test",
    { k: 6 },
  );
  conversations.addExchange(c.id, `Покажи ${XSS}`, result({ relevantDocIds: [0], answer: `Ответ ${XSS}`, citations: [{ ...cats, text: XSS }], candidates: [ref(cats)], stopped: true }), null, {});
  conversation = conversations.get(c.id);
});

afterAll(() => services.close());

const withoutIds = (t: Transcript) => ({
  ...t,
  exportedAt: "",
  conversation: { ...t.conversation, id: 0, messages: t.conversation.messages.map((m) => ({ ...m, id: 0 })) },
});

describe("JSON transcript", () => {
  it("keeps everything: questions, answers, ids, the cited text and where it is, model, settings, timings and tokens", () => {
    const t = JSON.parse(renderTranscript(conversation, "json")) as Transcript;
    expect(transcriptSchema.parse(t)).toBeTruthy();
    expect(t).toMatchObject({ format: "sourcebook-transcript", version: 1, app: { name: "Sourcebook", version: expect.any(String) } });
    expect(Date.parse(t.exportedAt)).toBeGreaterThan(0);
    expect(t.conversation).toMatchObject({ id: conversation.id, title: "Кошки: где *спят* и что едят?", createdAt: new Date(conversation.createdAt).toISOString() });
    const [q1, a1, , a2] = t.conversation.messages;
    expect(q1).toMatchObject({ role: "user", content: "Где спят кошки?\nИ что они едят?", answer: null });
    expect(a1!.answer).toEqual({
      refused: false,
      stopped: false,
      truncated: false,
      relevantDocIds: [0, 2],
      citations: [cats, food],
      candidates: [ref(cats), garden, ref(food)],
      omitted: [],
      context: { size: 8192, promptTokens: 2647, answerBudget: 1024, countedBy: "model", history: { sent: 0, leftOut: 0 } },
      model: "tiny-vikhr-nemo-test",
      settings: { k: 6, temperature: 0.3, contextSize: 8192 },
      timings: { retrieveMs: 4.5, selectMs: 812, answerMs: 1540, firstTokenMs: 230 },
      tokens: { prompt: 2647, evaluated: 2700, reused: 13, generated: 42 },
    });
    expect(a2!.answer).toMatchObject({
      refused: true,
      candidates: [{ ...garden, docId: 0, shortened: true }, { ...ref(cats), docId: 1 }],
      omitted: [{ ...ref(food), docId: 2, reason: "did not fit the context" }],
    });
  });

  it("imports a transcript written before the token budget, without its omitted list and context", () => {
    const old = JSON.parse(renderTranscript(conversation, "json")) as Transcript;
    for (const m of old.conversation.messages) {
      if (!m.answer) continue;
      const answer = m.answer as Partial<typeof m.answer>;
      delete answer.omitted;
      delete answer.context;
      delete answer.truncated;
    }
    const imported = importTranscript(services.conversations, JSON.stringify(old));
    const answers = services.conversations.get(imported.id).messages.filter((m) => m.answer).map((m) => m.answer!);
    expect(answers.map((a) => [a.omitted, a.context, a.truncated])).toEqual(answers.map(() => [[], null, false]));
    services.conversations.delete(imported.id);
  });

  it("imports back to an equal conversation under a new id, and exports the same again", () => {
    const json = renderTranscript(conversation, "json");
    const imported = importTranscript(services.conversations, json);
    expect(imported).toMatchObject({ title: conversation.title, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt, messageCount: 6 });
    expect(imported.id).not.toBe(conversation.id);
    const again = services.conversations.get(imported.id);
    expect(again.messages.map(({ id: _id, ...m }) => m)).toEqual(conversation.messages.map(({ id: _id, ...m }) => m));
    const before = JSON.parse(json) as Transcript;
    const after = JSON.parse(renderTranscript(again, "json")) as Transcript;
    expect(after.conversation.id).toBe(imported.id);
    expect(withoutIds(after)).toEqual(withoutIds(before));
    services.conversations.delete(imported.id);
  });

  it("refuses a malformed transcript or another version with a clear BAD_INPUT, and creates nothing", () => {
    const good = JSON.parse(renderTranscript(conversation, "json")) as Transcript;
    const count = services.conversations.list().length;
    const tryImport = (json: string) => () => importTranscript(services.conversations, json);
    const bad = (message: RegExp) => expect.objectContaining({ code: "BAD_INPUT", message: expect.stringMatching(message) });
    const modified = (change: (t: Transcript) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return JSON.stringify(copy);
    };

    expect(tryImport("{ not json")).toThrow(bad(/not valid JSON/));
    expect(tryImport("[1, 2]")).toThrow(bad(/not a Sourcebook transcript/));
    expect(tryImport(modified((t) => Object.assign(t, { version: 2 })))).toThrow(bad(/version 2.*reads version 1/));
    expect(tryImport(modified((t) => Object.assign(t.conversation.messages[1]!.answer!.citations[0]!, { lineStart: "3" })))).toThrow(
      bad(/conversation\.messages\.1\.answer\.citations\.0\.lineStart/),
    );
    expect(tryImport(modified((t) => t.conversation.messages.pop()))).toThrow(bad(/last question has no answer/));
    expect(tryImport(modified((t) => t.conversation.messages.reverse()))).toThrow(bad(/expected a question/));
    expect(tryImport(modified((t) => Object.assign(t.conversation, { createdAt: "yesterday" })))).toThrow(bad(/conversation\.createdAt/));
    expect(tryImport(modified((t) => Object.assign(t.conversation, { title: "  " })))).toThrow(bad(/conversation\.title/));
    expect(services.conversations.list()).toHaveLength(count);
  });
});

describe("Markdown transcript", () => {
  const md = () => renderTranscript(conversation, "md");

  it("has the title and date, each question and answer, and citations as footnotes with file links", () => {
    const text = md();
    expect(text.startsWith(`# Кошки: где \\*спят\\* и что едят?\n\n*3 questions · started ${new Date(conversation.createdAt).toISOString().slice(0, 10)}`)).toBe(true);
    expect(text).toContain("## Question 1\n\n> Где спят кошки?\\\n> И что они едят?");
    expect(text).toContain("Кошки спят **на подоконниках**\\[^1] и едят рыбу.");
    const url = "file:///home/%D0%B0%D0%BD%D1%8F/My%20Notes%20%282024%29/%D0%9A%D0%BE%D1%88%D0%BA%D0%B8%20%26%20%D1%81%D0%BE%D0%B1%D0%B0%D0%BA%D0%B8.md";
    expect(text).toContain("Sources: [^1] [^2]");
    expect(text).toContain(`[^1]: [Домашние животные › Кошки › Сон](${url}) · lines 3–5 · /home/аня/My Notes (2024)/Кошки & собаки.md`);
    expect(text).toContain(`[^2]: [Домашние животные › Кошки › Еда](${url}) · line 9 ·`);
    // The cited passage stays inside its footnote, and its Markdown stays text.
    expect(text).toContain("    > Кошки любят спать на подоконниках.\\\n    > \\# Не заголовок\\\n    > \\[^9]: не сноска");
    // Footnote numbers go on across answers.
    expect(text).toContain("Sources: [^3]\n");
    expect(text).toContain(" · tiny-vikhr-nemo-test · 2 of 3 documents used · 2.4 s · 2700 tokens evaluated, 13 reused, 42 generated*");
  });

  it("keeps the answer's Markdown inside its place", () => {
    const text = md();
    // Its heading goes below the transcript's, and the code block it never closed is closed.
    expect(text).toContain("**Answer**\n\n#### Коротко");
    expect(text).toContain("```\nкод без конца\n```\n\nSources:");
    expect(text).toContain("Ответ \\<img src=x onerror=alert(1)> \\<script>alert(2)\\</script>");
    expect(text).toContain("*Stopped: the answer is partial.*");
  });

  it("shows a refusal as such, with the closest matches marked not used", () => {
    const text = md();
    expect(text).toContain(
      "## Question 2\n\n> What is the capital of Mars?\n\n**Not in your notes**\n\nYour notes do not answer this.\n\nClosest matches, not used:\n\n" +
        "1. [Garden](file:///home/%D0%B0%D0%BD%D1%8F/My%20Notes%20%282024%29/garden.md) · lines 1–4 · /home/аня/My Notes (2024)/garden.md — *not used*\n" +
        "2. [Домашние животные › Кошки › Сон](",
    );
  });
});

/** Every node type in Markdown as a viewer reads it, GFM included. */
function nodeTypes(markdown: string): Set<string> {
  const types = new Set<string>();
  const walk = (node: Nodes) => {
    types.add(node.type);
    if ("children" in node) node.children.forEach(walk);
  };
  walk(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
  return types;
}

describe("Markdown transcript of hostile notes and answers", () => {
  // A run of backticks with no closing run of the same length is no code span, so what follows is raw HTML.
  const TICKS = "``<img src=x onerror=alert(1)>`";
  const TRACKER = "![](https://tracker.example/p.gif)";
  const hostile: Citation = { ...cats, title: `Notes ${TICKS}`, heading: `Notes ${TICKS}`, path: `${NOTES}/${TICKS}.md`, text: `Cited ${TICKS}\n${TRACKER}\n<div>x</div>` };
  let md: string;

  beforeAll(() => {
    const { conversations } = services;
    const c = conversations.create(`Title ${TICKS} ${TRACKER}`);
    const answer = [
      `Cats sleep ${TICKS} on windowsills.`,
      `\`a\` ${TICKS} and ${TRACKER} and ![a cat](https://tracker.example/cat.png "Cat") and ![by reference][pixel]`,
      "<div onclick=alert(2)>\n<img src=y>\n</div>",
      "[![inside a link](https://tracker.example/in.png)](https://example.com/page)",
      "A footnote of its own[^1].\n\n[^1]: <img src=z onerror=alert(3)>",
      "[run](javascript:alert(5)) and [file](file:///etc/passwd) and ![data](data:image/png;base64,AAAA)",
      "[pixel]: https://tracker.example/ref.gif",
    ].join("\n\n");
    conversations.addExchange(c.id, `Question ${TICKS} ${TRACKER}`, result({ relevantDocIds: [0], answer, citations: [hostile], candidates: [ref(hostile)] }), null, {});
    md = renderTranscript(conversations.get(c.id), "md");
  });

  it("reads back with no HTML and no images: raw HTML is text and images are links", () => {
    const types = nodeTypes(md);
    expect(types).not.toContain("html");
    expect(types).not.toContain("image");
    expect(types).not.toContain("imageReference");
    expect(types).toContain("link");
    // Even a viewer that lets raw HTML through gets none.
    const html = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(html).not.toMatch(/<(img|div)\b/i);
    expect(html).not.toMatch(/<[^>]+\son\w+\s*=/i);
    expect(html).toContain('<a href="https://tracker.example/p.gif">https://tracker.example/p.gif</a>');
    expect(html).toContain('<a href="https://tracker.example/cat.png" title="Cat">a cat</a>');
    expect(html).toContain('<a href="https://tracker.example/ref.gif">by reference</a>');
    expect(html).toContain('<a href="https://example.com/page">inside a link</a>');
    // The model's links that are not web links keep only their words.
    expect(html).not.toMatch(/href="(javascript|file:\/\/\/etc|data):/i);
    expect(html).toContain("run and file and data");
    // The HTML is still there to read, as text.
    expect(html).toContain("Cats sleep ``&lt;img src=x onerror=alert(1)&gt;` on windowsills.");
    expect(html).toContain("&lt;div onclick=alert(2)&gt;");
  });

  it("keeps notes' titles, paths and cited text as text, and the answer's own footnote out of the transcript's", () => {
    const html = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(html).toContain("<h1>Title ``&lt;img src=x onerror=alert(1)&gt;` ![](https://tracker.example/p.gif)</h1>");
    expect(html).toContain("Question ``&lt;img src=x onerror=alert(1)&gt;` ![](https://tracker.example/p.gif)");
    expect(html).toContain(`>Notes ${TICKS.replace("<", "&lt;").replace(">", "&gt;")}</a>`);
    expect(html).toContain("Cited ``&lt;img src=x onerror=alert(1)&gt;`<br />\n![](https://tracker.example/p.gif)<br />\n&lt;div&gt;x&lt;/div&gt;");
    expect(html).toContain("A footnote of its own[^1].");
    expect(html).toContain("[^1]: &lt;img src=z onerror=alert(3)&gt;");
    // One footnote, the transcript's: the cited note.
    expect(md.match(/^\[\^\d+\]:/gm)).toHaveLength(1);
  });

  it("keeps an answer too deeply nested to parse safely as text, whole", () => {
    const { conversations } = services;
    const c = conversations.create("Deep");
    const deep = `${">".repeat(5000)} deep <img src=x onerror=alert(1)>`;
    conversations.addExchange(c.id, "Deep?", result({ answer: deep }), null, {});
    const text = renderTranscript(conversations.get(c.id), "md");
    expect(text).toContain(`\n\`\`\`\n${deep}\n\`\`\`\n`);
    expect(nodeTypes(text)).not.toContain("html");
  });
});

describe("HTML transcript", () => {
  const html = () => renderTranscript(conversation, "html");

  it("is one self-contained, styled page with a strict CSP, light and dark", () => {
    const page = html();
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    expect(page).toContain("@media (prefers-color-scheme: dark)");
    expect(page).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/<[^>]*\s(src|srcset)=/i);
    expect(page).toContain("<title>Кошки: где *спят* и что едят?</title>");
  });

  it("renders answers from Markdown, with their sources, and refusals apart", () => {
    const page = html();
    expect(page).toContain('<p class="question">Где спят кошки?\nИ что они едят?</p>');
    expect(page).toContain("<h2>Коротко</h2>\n<p>Кошки спят <strong>на подоконниках</strong>[^1] и едят рыбу.</p>");
    expect(page).toContain(
      '<li><a href="file:///home/%D0%B0%D0%BD%D1%8F/My%20Notes%20%282024%29/%D0%9A%D0%BE%D1%88%D0%BA%D0%B8%20%26%20%D1%81%D0%BE%D0%B1%D0%B0%D0%BA%D0%B8.md">Домашние животные › Кошки › Сон</a> <span class="where">lines 3–5 · /home/аня/My Notes (2024)/Кошки &amp; собаки.md</span><blockquote>Кошки любят спать на подоконниках.\n# Не заголовок\n[^9]: не сноска</blockquote></li>',
    );
    expect(page).toMatch(/<section class="refusal"[^>]*><h3 lang="en">Not in your notes<\/h3><p>Your notes do not answer this.<\/p>\n<h3 lang="en">Closest matches, not used<\/h3>\n<ol class="sources"><li><a href="[^"]+garden.md">Garden<\/a>.*?<span class="unused" lang="en">not used<\/span><\/li>/);
    expect(page).toContain('<article id="q1" lang="ru">');
    expect(page).toContain('<article id="q2" lang="en">');
  });

  it("makes HTML and javascript: links in notes, questions and answers inert", () => {
    const page = html();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<[^>]+\son\w+\s*=/i);
    expect(page).not.toMatch(/javascript:alert\(\d\)"/i);
    expect(page).not.toMatch(/href="\s*javascript:/i);
    // The answer: HTML escaped as text, the javascript: links kept as links that go nowhere.
    expect(page).toContain('<p>Ответ &lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt; <a href="">x</a> <a href="">y</a></p>');
    // The question and the cited passage: plain text.
    expect(page).toContain('<p class="question">Покажи &lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt; [x](javascript:alert(3))');
    expect(page).toContain("<blockquote>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt; [x](javascript:alert(3))");
  });

  // The e2e tests' browser; the static checks above run even where there is none.
  it("runs nothing and requests nothing in a real browser, and its stylesheet passes the CSP", async (ctx) => {
    const file = path.join(root, "transcript.html");
    fs.writeFileSync(file, html());
    const browser = await launchChromium().catch((error: Error) => {
      const reason = `No browser could be launched, so the exported HTML was not opened in one: ${error.message.split("\n")[0]}`;
      console.warn(`SKIPPED: ${reason}`);
      return ctx.skip(reason);
    });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const requests: string[] = [];
      const violations: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on("request", (r) => requests.push(r.url()));
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`file://${file}`);
      // A string, evaluated in the page: this project's tests are typed without the DOM.
      const facts = (await page.evaluate(`({
        scripts: document.scripts.length,
        images: document.images.length,
        hrefs: [...document.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? ""),
        maxWidth: getComputedStyle(document.body).maxWidth,
      })`)) as { scripts: number; images: number; hrefs: string[]; maxWidth: string };
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([`file://${file}`]);
      expect(violations).toEqual([]);
      expect(facts).toMatchObject({ scripts: 0, images: 0, maxWidth: "768px" });
      expect(facts.hrefs.filter((h) => !/^(file:\/\/\/|#|$)/.test(h))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
