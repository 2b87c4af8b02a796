import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskResult, Citation } from "../../shared/chat.js";
import { importTranscript, renderTranscript } from "../../main/chat/transcript.js";
import { createServices, type Services } from "../../main/services.js";
import { tempDir } from "../helpers.js";

// A cited PDF passage says its page wherever the citation is shown: the stored answer, each transcript, an import.
const manual: Citation = {
  docId: 0,
  chunkId: 7,
  path: "/home/anya/papers/manual.pdf",
  title: "Pump manual",
  heading: "",
  lineStart: 410,
  lineEnd: 431,
  page: 12,
  snippet: "Bleed the air before the first start.",
  text: "Bleed the air before the first start.",
};
const note: Citation = { ...manual, docId: 1, chunkId: 8, path: "/home/anya/notes/pump.md", title: "Pump", page: undefined, lineStart: 3, lineEnd: 5 };
delete note.page;

const answer: AskResult = {
  question: "How do I start the pump?",
  refused: false,
  relevantDocIds: [0, 1],
  answer: "Bleed the air first.",
  stopped: false,
  citations: [manual, note],
  candidates: [manual, note].map(({ text: _text, ...ref }) => ref),
  omitted: [],
  context: null,
  truncated: false,
  tokens: { prompt: 1, evaluated: 1, reused: 0, generated: 1 },
  steps: { select: null, answer: null },
  timings: { retrieveMs: 1, selectMs: 1, answerMs: 1, firstTokenMs: 1 },
};

let services: Services;
let id: number;
beforeAll(() => {
  services = createServices({ dbPath: path.join(tempDir(), "lib.db") });
  const c = services.conversations.create("Pump");
  services.conversations.addExchange(c.id, answer.question, answer, "tiny", {});
  id = c.id;
});
afterAll(() => services.close());

describe("a PDF citation's page", () => {
  it("is kept with the answer and said as p. 12 in the Markdown and HTML transcripts, a note's lines as before", () => {
    const conversation = services.conversations.get(id);
    expect(conversation.messages[1]!.answer!.citations.map((c) => c.page)).toEqual([12, undefined]);
    const markdown = renderTranscript(conversation, "md");
    expect(markdown).toContain("· p. 12 · /home/anya/papers/manual.pdf");
    expect(markdown).toContain("· lines 3–5 · /home/anya/notes/pump.md");
    expect(renderTranscript(conversation, "html")).toContain('<span class="where">p. 12 · /home/anya/papers/manual.pdf</span>');
  });

  it("travels in the JSON transcript and comes back on import", () => {
    const json = renderTranscript(services.conversations.get(id), "json");
    expect((JSON.parse(json) as { conversation: { messages: Array<{ answer: { citations: Array<{ page?: number }> } | null }> } }).conversation.messages[1]!.answer!.citations[0]!.page).toBe(12);
    const imported = importTranscript(services.conversations, json);
    expect(services.conversations.get(imported.id).messages[1]!.answer!.citations[0]).toMatchObject({ page: 12, lineStart: 410 });
    expect(() => importTranscript(services.conversations, json.replace(/"page": ?12/, '"page": 0'))).toThrow(/page/);
  });
});
