import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskResult } from "../../shared/chat.js";
import { MIN_DOCUMENT_TOKENS, planPrompt, shorten, SHORTENED_MARK, type TokenCounter } from "../../main/llm/budget.js";
import { answerGrounded } from "../../main/llm/grounded.js";
import { GROUNDED_SYSTEM_PROMPT, type GroundedDocument } from "../../main/llm/prompt.js";
import { selectTokenBudget } from "../../main/llm/protocol.js";
import { createServices, type Services } from "../../main/services.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { runCli, tempDir, writeFiles } from "../helpers.js";

// The tiny model spells ASCII one token a character and Cyrillic two (one per UTF-8 byte), so
// these notes are long in tokens: six of them never fit the small contexts below.
const ruNote = (i: number) =>
  `# Кошки и сон ${i}\n\n` +
  Array.from({ length: 8 }, (_, p) => `Кошки спят на подоконниках зимой, абзац ${p} заметки ${i}. Они любят тёплые места у батареи. Котята спят ещё больше.`).join("\n\n");
const enNote = (i: number) =>
  `# Cats and sleep ${i}\n\n` +
  Array.from({ length: 8 }, (_, p) => `Cats sleep on window sills in winter, paragraph ${p} of note ${i}. They like warm places by the radiator. Kittens sleep even more.`).join(
    "\n\n",
  );
const QUESTIONS = { ru: "Где спят кошки зимой?", en: "Where do cats sleep in winter?" };

let root: string;
let notes: string;
let model: string;
let services: Services;

beforeAll(async () => {
  root = tempDir();
  notes = path.join(root, "notes");
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) {
    files[`ru-${i}.md`] = ruNote(i);
    files[`en-${i}.md`] = enNote(i);
  }
  writeFiles(notes, files);
  notes = fs.realpathSync(notes);
  model = writeTinyGguf(path.join(root, "tiny.gguf"), { seed: 1 });
  services = createServices({ dbPath: path.join(root, "lib.db"), threads: 1 });
  await services.library.index({ folders: [notes] });
});
afterAll(() => services.close());

/** What the sequence holds after an answer: step 1's prompt, its JSON, step 2's suffix and the answer. */
const contextText = () => services.models.run(async ({ sequence, model: m }) => ({ length: sequence.contextTokens.length, text: m.detokenize(sequence.contextTokens) }));

function expectHonestCounts(result: AskResult): void {
  for (const step of [result.steps.select, result.steps.answer]) {
    if (step) expect(step.evaluated + step.reused).toBe(step.prompt);
  }
}

describe("the token budget, on the tiny model at small contexts", () => {
  for (const size of [1024, 2048, 4096]) {
    for (const language of ["ru", "en"] as const) {
      it(`at ${size} tokens, ${language}: sends the best documents that fit whole, omits the rest, and the model sees all it is cited for`, async () => {
        await services.models.load({ modelPath: model, gpu: "cpu", contextSize: size, threads: 1 });
        const { result } = await services.chat.ask(QUESTIONS[language], { settings: { temperature: 0 } });
        const all = result.candidates.length + result.omitted.length;
        expect(all).toBe(6);
        expect(result.context).toMatchObject({ size, countedBy: "model", answerBudget: Math.min(1024, size / 4) });
        // Rank order: the documents sent are the best ones, the omitted ones follow them.
        expect(result.candidates.map((c) => c.docId)).toEqual([...Array(result.candidates.length).keys()]);
        expect(result.omitted.map((c) => c.docId)).toEqual([...Array(result.omitted.length).keys()].map((i) => i + result.candidates.length));
        expect(result.omitted.every((o) => o.reason === "did not fit the context")).toBe(true);
        expect(result.omitted.length).toBeGreaterThan(0);
        expect(result.candidates.length).toBeGreaterThan(0);
        expect(new Set(result.candidates.map((c) => path.basename(c.path)[0]))).toEqual(new Set([language[0]]));

        // No prompt ran past the context, and none was cut at its start: the sequence begins with
        // the system prompt and holds every document sent.
        const held = await contextText();
        expect(held.length).toBeLessThanOrEqual(size);
        expect(result.steps.select!.prompt).toBe(result.context!.promptTokens);
        expect(result.context!.promptTokens + selectTokenBudget(result.candidates.length) + result.context!.answerBudget).toBeLessThanOrEqual(size);
        expect(held.text.slice(0, 200)).toContain(GROUNDED_SYSTEM_PROMPT.slice(0, 60));
        for (const c of result.candidates) expect(held.text).toContain(c.title);
        for (const o of result.omitted) expect(held.text).not.toContain(`"title": "${o.title}`);
        expect(held.text).toContain(QUESTIONS[language]);

        expectHonestCounts(result);
        if (result.steps.answer) {
          expect(result.steps.answer.prompt + result.steps.answer.generated).toBeLessThanOrEqual(size);
          // Step 2 evaluates only the end of the turn: the tiny vocabulary spells "assistant" letter by letter.
          expect(result.steps.answer.evaluated).toBeLessThanOrEqual(20);
          if (size >= 2048) expect(result.steps.answer.evaluated / result.steps.answer.prompt).toBeLessThanOrEqual(0.02);
        }
      });
    }
  }

  it("sends more documents the larger the context", async () => {
    const sent: number[] = [];
    for (const size of [1024, 2048, 4096, 8192]) {
      await services.models.load({ modelPath: model, gpu: "cpu", contextSize: size, threads: 1 });
      sent.push((await services.chat.ask(QUESTIONS.en, { settings: { temperature: 0, maxAnswerTokens: 16 } })).result.candidates.length);
    }
    for (let i = 1; i < sent.length; i++) expect(sent[i]).toBeGreaterThanOrEqual(sent[i - 1]!);
    expect(sent.at(-1)).toBeGreaterThan(sent[0]!);
  });

  it("shortens the first document at a sentence or paragraph when even it does not fit, and marks it", async () => {
    await services.models.load({ modelPath: model, gpu: "cpu", contextSize: 1024, threads: 1 });
    const { result } = await services.chat.ask(QUESTIONS.ru, { settings: { temperature: 0 } });
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]).toMatchObject({ docId: 0, shortened: true });
    expect(result.omitted).toHaveLength(5);
    const held = await contextText();
    // Cut at the end of a sentence (". "), then marked.
    const sentContent = /"content": "(.*?)"\}\]/s.exec(held.text)?.[1] ?? "";
    expect(sentContent.endsWith(`.${SHORTENED_MARK}`)).toBe(true);
    const whole = services.library.chunkTexts([result.candidates[0]!.chunkId]).get(result.candidates[0]!.chunkId)!;
    expect(whole.replaceAll("\n", "\\n").startsWith(sentContent.slice(0, -SHORTENED_MARK.length))).toBe(true);
    for (const citation of result.citations) expect(citation.text.endsWith(SHORTENED_MARK)).toBe(true);
  });

  it("fails with a clear error naming the context when not even a little of one note fits, and still refuses without the model", async () => {
    await services.models.load({ modelPath: model, gpu: "cpu", contextSize: 512, threads: 1 });
    await expect(services.chat.ask(QUESTIONS.ru)).rejects.toMatchObject({ code: "CONTEXT_TOO_SMALL", message: expect.stringMatching(/context of 512 tokens is too small/) });
    expect(services.conversations.list().filter((c) => c.title === QUESTIONS.ru && c.messageCount === 0)).toEqual([]);
    // Nothing retrieved: the refusal needs no model, so no room either.
    const { result } = await services.chat.ask("Сколько лет динозаврам?");
    expect(result).toMatchObject({ refused: true, candidates: [], omitted: [], context: null });
  });

  it("refuses, with the documents it sent, when the model names none", async () => {
    await services.models.load({ modelPath: model, gpu: "cpu", contextSize: 1024, threads: 1 });
    // The grammar admits only an empty list when there are no documents: the model's real refusal path.
    const outcome = await services.models.run((session) => answerGrounded(session, { question: QUESTIONS.en, documents: [] }));
    expect(outcome).toMatchObject({ refused: true, answer: "", tokens: { answer: null }, context: { size: 1024, omitted: [] } });
    expect(outcome.tokens.select.evaluated + outcome.tokens.select.reused).toBe(outcome.tokens.select.prompt);
  });

  it("fits a follow-up with a long history: the newest turns stay, the oldest go first, the documents keep most of the room", async () => {
    await services.models.load({ modelPath: model, gpu: "cpu", contextSize: 4096, threads: 1 });
    const long = (i: number) => `Turn ${i}: ${"cats sleep a lot and like warm places. ".repeat(20)}`;
    const summary = services.conversations.importConversation({
      title: "long",
      createdAt: 1,
      updatedAt: 1,
      messages: [0, 1, 2, 3].flatMap((i) => [
        { role: "user" as const, content: `Question ${i} about cats?`, createdAt: 1, answer: null },
        {
          role: "assistant" as const,
          content: long(i),
          createdAt: 1,
          answer: {
            refused: false, stopped: false, truncated: false, relevantDocIds: [0], citations: [], candidates: [], omitted: [], context: null,
            model: "m", settings: {}, timings: { retrieveMs: 0, selectMs: 0, answerMs: 0, firstTokenMs: null }, tokens: { prompt: 0, evaluated: 0, reused: 0, generated: 0 },
          },
        },
      ]),
    });
    const { result } = await services.chat.ask(QUESTIONS.en, { conversationId: summary.id, settings: { temperature: 0, maxAnswerTokens: 64 } });
    expect(result.context!.history.sent + result.context!.history.leftOut).toBe(4);
    expect(result.context!.history.leftOut).toBeGreaterThan(0);
    expect(result.context!.history.sent).toBeGreaterThan(0);
    const held = await contextText();
    expect(held.length).toBeLessThanOrEqual(4096);
    expect(held.text).toContain("Turn 3:");
    expect(held.text).not.toContain("Turn 0:");
    expect(result.candidates.length).toBeGreaterThan(0);
    expectHonestCounts(result);
  });
});

describe("the budget's choices, with an exact counter of characters", () => {
  // One token a character: the budget's arithmetic, checked without a model.
  const chars: TokenCounter = {
    source: "model",
    prompt: async (messages) => messages.reduce((n, m) => n + m.content.length + 10, 10),
    text: (text) => text.length,
  };
  const doc = (doc_id: number, content: string): GroundedDocument => ({ doc_id, title: `Doc ${doc_id}`, content });

  it("cuts at a paragraph when that keeps enough, else at a sentence, else between words", () => {
    const cost = (d: GroundedDocument) => d.content.length;
    const paragraphs = doc(0, "First paragraph. Still first.\n\nSecond paragraph here. And more of it.\n\nThird.");
    expect(shorten(paragraphs, 60, cost)?.content).toBe(`First paragraph. Still first.${SHORTENED_MARK}`);
    const sentences = doc(0, "One sentence here. Another one follows! A third? And a very long final sentence without end");
    expect(shorten(sentences, 45, cost)?.content).toBe(`One sentence here. Another one follows!${SHORTENED_MARK}`);
    const oneSentence = doc(0, "a very long sentence without any full stop that goes on and on and on");
    expect(shorten(oneSentence, 25, cost)?.content).toBe(`a very long sentence${SHORTENED_MARK}`);
    expect(shorten(doc(0, "unbreakable"), 5, cost)).toBeUndefined();
  });

  it("stops at the first document that does not fit, keeping rank order", async () => {
    const documents = [doc(0, "a".repeat(300)), doc(1, "b".repeat(1000)), doc(2, "c".repeat(10))];
    const plan = await planPrompt({ question: "q", documents, history: [], contextSize: 2000, maxAnswerTokens: 256 }, chars);
    // doc 2 alone would still fit, but documents go in rank order: a passage ranked lower is never sent instead.
    expect(plan.documents.map((d) => d.doc_id)).toEqual([0]);
    expect(plan.omitted).toEqual([1, 2]);
    expect(plan.promptTokens + plan.selectBudget + plan.answerBudget).toBeLessThanOrEqual(2000);
  });

  it("says how many tokens the instructions take when the context cannot hold them and a note", async () => {
    await expect(planPrompt({ question: "q", documents: [doc(0, "x".repeat(1000))], history: [], contextSize: 600, maxAnswerTokens: 1024 }, chars)).rejects.toMatchObject({
      code: "CONTEXT_TOO_SMALL",
      message: expect.stringContaining(`${MIN_DOCUMENT_TOKENS} tokens of a note`),
    });
  });
});

describe("sourcebook ask and the budget", () => {
  it("prints the context and the omitted documents, and fails in one line when the context is too small", async () => {
    const db = path.join(root, "cli.db");
    expect((await runCli(["index", notes, "--db", db])).code).toBe(0);
    const run = await runCli(["ask", QUESTIONS.ru, "--model", model, "--db", db, "--gpu", "cpu", "--threads", "1", "--context-size", "1024", "--max-tokens", "32", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AskResult;
    expect(result.context).toMatchObject({ size: 1024, answerBudget: 32, promptTokens: result.steps.select!.prompt });
    expect(result.omitted.length).toBeGreaterThan(0);
    expect(Object.keys(result.omitted[0]!)).toEqual(expect.arrayContaining(Object.keys(result.candidates[0]!).filter((k) => k !== "shortened")));
    expect(result.steps.select!.evaluated + result.steps.select!.reused).toBe(result.steps.select!.prompt);
    expect(result.tokens.prompt).toBe(result.steps.select!.prompt + (result.steps.answer?.prompt ?? 0));

    const small = await runCli(["ask", QUESTIONS.ru, "--model", model, "--db", db, "--gpu", "cpu", "--threads", "1", "--context-size", "512"]);
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(/^sourcebook: The model's context of 512 tokens is too small for this question: .*\n$/);
    expect(small.stdout).toBe("");
  });

  it("checks its flags with the settings' own ranges", async () => {
    const db = path.join(root, "flags.db");
    for (const args of [["--top-k", "500"], ["--temperature", "3"], ["-k", "21"], ["--context-size", "100"], ["--max-tokens", "0"], ["--context-size", "lots"]]) {
      const run = await runCli(["ask", "q", "--model", model, "--db", db, ...args]);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
    }
    expect(fs.existsSync(db)).toBe(false);
  });
});
