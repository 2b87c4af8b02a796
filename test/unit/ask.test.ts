import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskResult } from "../../shared/chat.js";
import { ask, questionLanguage } from "../../main/chat/answer.js";
import { LocalBackend } from "../../main/llm/local.js";
import type { GroundedBackend, GroundedOutcome } from "../../main/llm/protocol.js";
import { createServices, type Services } from "../../main/services.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { runCli, tempDir, writeFiles } from "../helpers.js";

let root: string;
let notes: string;
let model: string;
let services: Services;
let local: LocalBackend;

beforeAll(async () => {
  root = tempDir();
  notes = path.join(root, "notes");
  writeFiles(notes, {
    "cats.md": "# Кошки\n\nКошки любят спать на подоконниках.\n\n## Еда\n\nКошки едят рыбу по утрам.\n",
    "garden.md": "# Garden\n\nTomatoes need plenty of sunlight.\n",
  });
  notes = fs.realpathSync(notes);
  model = writeTinyGguf(path.join(root, "tiny.gguf"), { seed: 1 });
  services = createServices({ dbPath: path.join(root, "lib.db"), threads: 1 });
  local = new LocalBackend(services.models);
  await services.library.index({ folders: [notes] });
});
afterAll(() => services.close());

describe("ask", () => {
  it("sends the retrieved chunks and cites exactly the documents the model named", async () => {
    await services.models.load({ modelPath: model, gpu: "cpu", contextSize: 4096, threads: 1 });
    const result = await ask(services.library, local, "Где спят кошки?", { settings: { maxAnswerTokens: 16 } });
    expect(result.refused).toBe(false);
    expect(result.candidates.map((c) => [path.relative(notes, c.path), c.heading])).toEqual([
      ["cats.md", "Кошки"],
      ["cats.md", "Кошки › Еда"],
    ]);
    expect(result.candidates.map((c) => c.docId)).toEqual([0, 1]);
    expect(result.citations.map(({ text: _text, ...ref }) => ref)).toEqual(result.relevantDocIds.map((id) => result.candidates[id]));
    // Each citation keeps the full text of its chunk, as sent to the model.
    for (const c of result.citations) expect(c.text).toBe(services.library.chunkTexts([c.chunkId]).get(c.chunkId));
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.tokens.prompt).toBe(result.steps.select!.prompt + result.steps.answer!.prompt);
    expect(result.timings.retrieveMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses without the model when retrieval finds nothing, in the question's language", async () => {
    const noModel: GroundedBackend = { answer: () => Promise.reject(new Error("the model must not be called")), modelName: () => null };
    const ru = await ask(services.library, noModel, "Сколько лет динозаврам?");
    expect(ru).toMatchObject({ refused: true, citations: [], candidates: [], answer: "В ваших заметках нет ответа на этот вопрос.", steps: { select: null } });
    expect((await ask(services.library, noModel, "quantum chromodynamics")).answer).toBe("Your notes do not answer this question.");
  });

  it("refuses with the closest matches, marked unused, when the model names no document", async () => {
    // A deterministic double for the model's choice; the real empty-list path is tested with the tiny model.
    const named: Partial<GroundedOutcome> = {
      relevantDocIds: [],
      refused: true,
      answer: "",
      stopped: false,
      tokens: { select: { prompt: 10, evaluated: 10, reused: 0, generated: 5 }, answer: null },
      timings: { budgetMs: 0, selectMs: 1, answerMs: 0, firstTokenMs: null },
    };
    const refusing: GroundedBackend = {
      answer: async (request) => ({
        ...(named as GroundedOutcome),
        truncated: false,
        sent: request.documents,
        context: { size: 4096, promptTokens: 10, answerBudget: 1024, countedBy: "model", omitted: [], shortened: false, history: { sent: 0, leftOut: 0 } },
      }),
      modelName: () => null,
    };
    const result: AskResult = await ask(services.library, refusing, "Tomatoes?");
    expect(result).toMatchObject({ refused: true, citations: [], relevantDocIds: [] });
    expect(result.answer).toMatch(/^Your notes do not answer this question\. The closest matches are below/);
    expect(result.candidates.map((c) => path.basename(c.path))).toEqual(["garden.md"]);
  });

  it("rejects an empty question and a bad k", async () => {
    await expect(ask(services.library, local, "   ")).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(ask(services.library, local, "q", { k: 0 })).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("keeps searching after a model fails to load", async () => {
    fs.writeFileSync(path.join(root, "broken.gguf"), "GGUF but not really");
    await expect(services.models.load({ modelPath: path.join(root, "broken.gguf"), gpu: "cpu" })).rejects.toMatchObject({ code: "NOT_GGUF" });
    expect(services.library.search("кошки спят").map((h) => path.basename(h.path))).toContain("cats.md");
    // The refused file did not unload the model that was working.
    expect(services.models.status()).toMatchObject({ state: "ready", error: { code: "NOT_GGUF" }, model: { name: "tiny-vikhr-nemo-test" } });
    expect((await ask(services.library, local, "Где спят кошки?", { settings: { maxAnswerTokens: 4 } })).candidates.length).toBeGreaterThan(0);
  });

  it("tells Russian from English questions", () => {
    expect(questionLanguage("Где спят кошки?")).toBe("ru");
    expect(questionLanguage("What is git rebase?")).toBe("en");
    expect(questionLanguage("Что делает git rebase?")).toBe("ru");
    expect(questionLanguage("What does кошка mean?")).toBe("en");
  });
});

describe("sourcebook ask", () => {
  it("prints the documented JSON", async () => {
    const db = path.join(root, "cli.db");
    expect((await runCli(["index", notes, "--db", db])).code).toBe(0);
    const run = await runCli(["ask", "Где спят кошки?", "--model", model, "--db", db, "--gpu", "cpu", "--max-tokens", "8", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AskResult & { conversationId: number };
    const followUp = await runCli(["ask", "А зимой?", "--chat", String(result.conversationId), "--model", model, "--db", db, "--gpu", "cpu", "--max-tokens", "8", "--json"]);
    expect(followUp.code).toBe(0);
    expect(JSON.parse(followUp.stdout)).toMatchObject({ conversationId: result.conversationId });
    expect((await runCli(["ask", "q", "--chat", "999", "--model", model, "--db", db, "--gpu", "cpu"])).stderr).toMatch(/There is no conversation 999/);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["conversationId", "question", "refused", "relevantDocIds", "answer", "citations", "candidates", "tokens", "timings"]));
    expect(Object.keys(result.tokens).sort()).toEqual(["evaluated", "generated", "prompt", "reused"]);
    expect(Object.keys(result.timings).sort()).toEqual(["answerMs", "firstTokenMs", "retrieveMs", "selectMs"]);
    expect(Object.keys(result.citations[0]!)).toEqual(expect.arrayContaining(["docId", "path", "title", "heading", "lineStart", "lineEnd", "snippet"]));
  });

  it("streams the answer and lists numbered sources", async () => {
    const db = path.join(root, "cli.db");
    const run = await runCli(["ask", "Где спят кошки?", "--model", model, "--db", db, "--gpu", "cpu", "--max-tokens", "8"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n\nSources:\n\[1\] Кошки/);
  });

  it("gives usage errors before loading anything, and a clear error for a missing model", async () => {
    // No model flag and no library whose settings could name one.
    const noLibrary = await runCli(["ask", "q", "--db", path.join(root, "none.db")]);
    expect(noLibrary.code).toBe(2);
    expect(noLibrary.stderr).toMatch(/ask needs --model FILE\.gguf or --endpoint URL/);
    expect(fs.existsSync(path.join(root, "none.db"))).toBe(false);
    expect((await runCli(["ask", "--model", model])).code).toBe(2);
    expect((await runCli(["ask", "q", "--model", model, "--gpu", "tpu"])).code).toBe(2);
    const missing = await runCli(["ask", "q", "--model", path.join(root, "none.gguf"), "--db", path.join(root, "x.db")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sourcebook: There is no model file at .*none\.gguf\.\n$/);
    expect(fs.existsSync(path.join(root, "x.db"))).toBe(false);
  });
});
