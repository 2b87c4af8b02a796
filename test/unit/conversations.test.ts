import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AskResult } from "../../shared/chat.js";
import { createServices, type Services } from "../../main/services.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir, writeFiles } from "../helpers.js";

let root: string;
let model: string;
let open: Services[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

beforeAll(() => {
  root = tempDir();
  writeFiles(path.join(root, "notes"), { "cats.md": "# Кошки\n\nКошки любят спать на подоконниках.\n\n## Еда\n\nКошки едят рыбу.\n" });
  model = writeTinyGguf(path.join(root, "tiny.gguf"), { seed: 1 });
});

function services(db = "lib.db"): Services {
  const s = createServices({ dbPath: path.join(root, db), threads: 1 });
  open.push(s);
  return s;
}

const answer = (text: string, extra: Partial<AskResult> = {}): AskResult => ({
  question: "q",
  refused: false,
  relevantDocIds: [0],
  answer: text,
  stopped: false,
  citations: [{ docId: 0, chunkId: 1, path: "/n/a.md", title: "A", heading: "A", lineStart: 1, lineEnd: 3, snippet: "s", text: "the cited text" }],
  candidates: [],
  omitted: [],
  context: null,
  truncated: false,
  tokens: { prompt: 10, evaluated: 10, reused: 0, generated: 3 },
  steps: { select: null, answer: null },
  timings: { retrieveMs: 1, selectMs: 2, answerMs: 3, firstTokenMs: 1 },
  ...extra,
});

describe("conversation store", () => {
  it("keeps conversations and answers, with their citations' text, across restarts", async () => {
    const first = services("store.db");
    const c = first.conversations.create("  Про   кошек  ");
    expect(c).toMatchObject({ title: "Про кошек", messageCount: 0 });
    first.conversations.addExchange(c.id, "Где спят кошки?", answer("На подоконниках."), "tiny", { k: 6, temperature: 0.3 });
    await first.close();
    open = [];

    const again = services("store.db");
    const stored = again.conversations.get(c.id);
    expect(stored.messages.map((m) => [m.role, m.content])).toEqual([["user", "Где спят кошки?"], ["assistant", "На подоконниках."]]);
    expect(stored.messages[1]!.answer).toMatchObject({
      refused: false,
      relevantDocIds: [0],
      citations: [{ path: "/n/a.md", text: "the cited text" }],
      model: "tiny",
      settings: { k: 6, temperature: 0.3 },
      tokens: { generated: 3 },
      timings: { answerMs: 3 },
    });
    expect(stored.messages[0]!.answer).toBeNull();
  });

  it("lists newest first, filters, renames and deletes, with clear errors", async () => {
    const s = services("list.db");
    const a = s.conversations.create("Кошки");
    const b = s.conversations.create("Garden");
    // Timestamps are in milliseconds: let the update come strictly later.
    await new Promise((r) => setTimeout(r, 5));
    s.conversations.addExchange(a.id, "q", answer("x"), null, {});
    expect(s.conversations.list().map((c) => c.title)).toEqual(["Кошки", "Garden"]);
    expect(s.conversations.list("кош").map((c) => c.id)).toEqual([a.id]);
    expect(s.conversations.rename(b.id, "Сад").title).toBe("Сад");
    expect(s.conversations.create("x".repeat(200)).title).toHaveLength(80);
    expect(() => s.conversations.rename(b.id, "  ")).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    s.conversations.delete(a.id);
    expect(() => s.conversations.get(a.id)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => s.conversations.delete(a.id)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("gives the latest answered turns as history, without refusals or stopped answers", () => {
    const s = services("history.db");
    const c = s.conversations.create("c");
    s.conversations.addExchange(c.id, "q1", answer("a1"), null, {});
    s.conversations.addExchange(c.id, "q2", answer("refusal", { refused: true }), null, {});
    s.conversations.addExchange(c.id, "q3", answer("partial", { stopped: true }), null, {});
    s.conversations.addExchange(c.id, "q4", answer("a4"), null, {});
    s.conversations.addExchange(c.id, "q5", answer("a5"), null, {});
    expect(s.conversations.history(c.id, 2)).toEqual([
      { role: "user", content: "q4" },
      { role: "assistant", content: "a4" },
      { role: "user", content: "q5" },
      { role: "assistant", content: "a5" },
    ]);
  });
  it("replaces an answer in place by its id, keeping the turns after it, and refuses one that is gone", async () => {
    const s = services("replace.db");
    const c = s.conversations.create("c");
    s.conversations.addExchange(c.id, "q1", answer("a1"), "old", { k: 6 });
    s.conversations.addExchange(c.id, "q2", answer("a2"), "old", {});
    const [, first, , second] = s.conversations.get(c.id).messages;
    await new Promise((r) => setTimeout(r, 5));
    s.conversations.replaceAnswer(first!.id, answer("a1 again", { refused: true, citations: [] }), "new", { k: 3 });
    const after = s.conversations.get(c.id);
    expect(after.messages.map((m) => [m.id, m.content])).toEqual([
      [after.messages[0]!.id, "q1"],
      [first!.id, "a1 again"],
      [after.messages[2]!.id, "q2"],
      [second!.id, "a2"],
    ]);
    expect(after.messages[1]!.answer).toMatchObject({ refused: true, citations: [], model: "new", settings: { k: 3 } });
    expect(after.messages[1]!.createdAt).toBeGreaterThan(first!.createdAt);
    expect(after.updatedAt).toBeGreaterThan(c.updatedAt);
    // A question is not an answer to replace, and a deleted answer stays deleted.
    expect(() => s.conversations.replaceAnswer(after.messages[0]!.id, answer("x"), null, {})).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    s.conversations.delete(c.id);
    expect(() => s.conversations.replaceAnswer(first!.id, answer("x"), null, {})).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("deletes a conversation only while it is empty", () => {
    const s = services("empty.db");
    const empty = s.conversations.create("empty");
    const full = s.conversations.create("full");
    s.conversations.addExchange(full.id, "q", answer("a"), null, {});
    expect(s.conversations.deleteIfEmpty(full.id)).toBe(false);
    expect(s.conversations.deleteIfEmpty(empty.id)).toBe(true);
    expect(s.conversations.deleteIfEmpty(empty.id)).toBe(false);
    expect(s.conversations.list().map((c) => c.id)).toEqual([full.id]);
  });

  it("imports a conversation with its answers and times as they were, under a new id", () => {
    const s = services("import.db");
    const existing = s.conversations.create("existing");
    const { refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, timings, tokens } = answer("", { refused: true, relevantDocIds: [], citations: [] });
    const stored = { refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, timings, tokens };
    const messages = [
      { role: "user" as const, content: "Вопрос?", createdAt: 1_700_000_000_123, answer: null },
      { role: "assistant" as const, content: "Этого нет в заметках.", createdAt: 1_700_000_001_456, answer: { ...stored, model: "m", settings: { k: 6 } } },
    ];
    const imported = s.conversations.importConversation({ title: "Импорт", createdAt: 1_600_000_000_000, updatedAt: 1_700_000_001_456, messages });
    expect(imported).toEqual({ id: expect.any(Number), title: "Импорт", createdAt: 1_600_000_000_000, updatedAt: 1_700_000_001_456, messageCount: 2 });
    expect(imported.id).not.toBe(existing.id);
    const got = s.conversations.get(imported.id);
    expect(got.messages.map(({ id: _id, ...m }) => m)).toEqual(messages);
    // Newest first by the imported times: an old conversation stays down the list.
    expect(s.conversations.list().map((c) => c.id)).toEqual([existing.id, imported.id]);

    const unpaired = { title: "x", createdAt: 1, updatedAt: 1, messages: [messages[0]!] };
    expect(() => s.conversations.importConversation(unpaired)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    expect(() => s.conversations.importConversation({ ...unpaired, messages: [messages[1]!, messages[0]!] })).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    expect(s.conversations.list()).toHaveLength(2);
  });
});

describe("chat", () => {
  it("starts a conversation, and a follow-up retrieves with the previous question and sends the history", async () => {
    const s = services("chat.db");
    await s.library.index({ folders: [path.join(root, "notes")] });
    await s.models.load({ modelPath: model, gpu: "cpu", contextSize: 8192, threads: 1 });
    const first = await s.chat.ask("Где спят кошки?", { settings: { maxAnswerTokens: 8 } });
    expect(first.result.refused).toBe(false);
    // "А зимой?" alone matches nothing; with the previous question it finds the cat notes again.
    expect(s.library.search("А зимой?")).toEqual([]);
    const followUp = await s.chat.ask("А зимой?", { conversationId: first.conversationId, settings: { maxAnswerTokens: 8 } });
    expect(followUp.conversationId).toBe(first.conversationId);
    expect(followUp.result.candidates.length).toBeGreaterThan(0);
    // The history makes the prompt longer than the first turn's, and the shared beginning is reused.
    expect(followUp.result.steps.select!.prompt).toBeGreaterThan(first.result.steps.select!.prompt);
    expect(followUp.result.steps.select!.reused).toBeGreaterThan(0);
    const stored = s.conversations.get(first.conversationId);
    expect(stored).toMatchObject({ title: "Где спят кошки?", messageCount: 4 });
    expect(stored.messages[3]!.answer!.model).toBe("tiny-vikhr-nemo-test");

    // Answering the first question again: its history is what came before it (nothing), and the new
    // answer takes the old one's place while the follow-up stays.
    const again = await s.chat.ask("Где спят кошки?", { conversationId: first.conversationId, replacing: stored.messages[1]!.id, settings: { maxAnswerTokens: 8 } });
    expect(again.result.steps.select!.prompt).toBe(first.result.steps.select!.prompt);
    const regenerated = s.conversations.get(first.conversationId);
    expect(regenerated.messages.map((m) => m.id)).toEqual(stored.messages.map((m) => m.id));
    expect(regenerated.messages[1]!.answer!.timings).not.toEqual(stored.messages[1]!.answer!.timings);
    expect(regenerated.messages.slice(2)).toEqual(stored.messages.slice(2));
    await expect(s.chat.ask("Где спят кошки?", { conversationId: first.conversationId, replacing: stored.messages[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
