import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerGrounded } from "../../main/llm/grounded.js";
import { parseRelevantIds, type GroundedRequest } from "../../main/llm/protocol.js";
import { ModelHost } from "../../main/llm/host.js";
import type { GroundedDocument } from "../../main/llm/prompt.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir } from "../helpers.js";

const host = new ModelHost();

// Six documents of ~600 characters: a prompt of a few thousand tokens with the byte-level tiny vocabulary.
const DOCS: GroundedDocument[] = Array.from({ length: 6 }, (_, i) => ({
  doc_id: i,
  title: `Заметка ${i} › Раздел`,
  content: `Cats sleep on window sills, note ${i}. Кошки спят на подоконниках. `.repeat(8),
}));

const ask = (request: Partial<GroundedRequest> = {}) =>
  // Temperature 0: the random-weight model then writes the same bytes every run, so tests are deterministic.
  host.run((session) => answerGrounded(session, { question: "Где спят кошки?", documents: DOCS, settings: { maxAnswerTokens: 24, temperature: 0 }, ...request }));

beforeAll(async () => {
  const file = writeTinyGguf(path.join(tempDir(), "tiny.gguf"), { seed: 1 });
  const status = await host.load({ modelPath: file, gpu: "cpu", contextSize: 8192, threads: 1 });
  expect(status.state).toBe("ready");
});
afterAll(() => host.close());

describe("parseRelevantIds", () => {
  it("keeps the given ids once each, in order, and nothing else", () => {
    expect(parseRelevantIds('{"relevant_doc_ids": [2, 0, 2, 9, "1", 0]}', [0, 1, 2])).toEqual([2, 0]);
    expect(parseRelevantIds('{"relevant_doc_ids": []}', [0, 1])).toEqual([]);
    expect(parseRelevantIds("not json", [0])).toEqual([]);
    expect(parseRelevantIds('{"other": [0]}', [0])).toEqual([]);
  });
});

describe("the grounded protocol on a real model", () => {
  it("selects grammar-valid documents, streams an answer, and re-evaluates almost nothing in step 2", async () => {
    const chunks: string[] = [];
    let selected: number[] | undefined;
    const outcome = await ask({ onTextChunk: (t) => chunks.push(t), onSelected: (ids) => (selected = ids) });
    expect(outcome.refused).toBe(false);
    expect(outcome.relevantDocIds.length).toBeGreaterThan(0);
    expect(new Set(outcome.relevantDocIds).size).toBe(outcome.relevantDocIds.length);
    for (const id of outcome.relevantDocIds) expect(DOCS.map((d) => d.doc_id)).toContain(id);
    expect(selected).toEqual(outcome.relevantDocIds);
    expect(chunks.join("")).toBe(outcome.answer);
    expect(outcome.tokens.answer!.generated).toBeGreaterThan(0);

    const { select, answer } = outcome.tokens;
    expect(select.prompt).toBeGreaterThan(1500);
    // Step 2 continues step 1's tokens: only the turn suffix is new.
    expect(answer!.reused).toBeGreaterThanOrEqual(select.prompt);
    expect(answer!.evaluated / select.prompt).toBeLessThanOrEqual(0.02);
    expect(outcome.timings.firstTokenMs).not.toBeNull();
  });

  it("reuses the shared prefix when the next question comes, and counts as the sequence's own meter does", async () => {
    const meter = () => host.run(async ({ sequence }) => sequence.tokenMeter.usedInputTokens);
    const before = await meter();
    const outcome = await ask({ question: "А собаки?" });
    // System prompt and documents are unchanged, so only the question onwards is evaluated.
    expect(outcome.tokens.select.reused).toBeGreaterThan(outcome.tokens.select.prompt * 0.9);
    const { select, answer } = outcome.tokens;
    for (const step of [select, answer!]) expect(step.evaluated + step.reused).toBe(step.prompt);
    // node-llama-cpp meters a step's last prompt token, the one predicted from, as output.
    expect((await meter()) - before).toBe(select.evaluated - 1 + answer!.evaluated - 1);
  });

  it("stops within a token when cancelled, keeping the partial answer", async () => {
    const controller = new AbortController();
    let chunks = 0;
    let afterAbort = 0;
    let atAbort = "";
    let text = "";
    const outcome = await ask({
      // Temperature 0: sampled at the default, the random model may end its answer before the third chunk.
      settings: { maxAnswerTokens: 200, temperature: 0 },
      signal: controller.signal,
      onTextChunk: (chunk) => {
        text += chunk;
        if (controller.signal.aborted) afterAbort++;
        if (++chunks === 3) {
          atAbort = text;
          controller.abort();
        }
      },
    });
    expect(outcome.stopped).toBe(true);
    // A chunk can take several byte tokens, so "within a token" is: at most one more chunk arrives.
    expect(afterAbort).toBeLessThanOrEqual(1);
    expect(outcome.answer.startsWith(atAbort)).toBe(true);
    expect(outcome.tokens.answer!.generated).toBeLessThan(50);
  });

  it("stops, rather than throwing, when cancelled before a step begins", async () => {
    const early = new AbortController();
    early.abort();
    expect(await ask({ signal: early.signal })).toMatchObject({ stopped: true, refused: false, relevantDocIds: [], answer: "" });
    // Between the steps: the stop button pressed just as the documents were chosen.
    const between = new AbortController();
    const outcome = await ask({ signal: between.signal, onSelected: () => between.abort() });
    expect(outcome).toMatchObject({ stopped: true, answer: "" });
    expect(outcome.relevantDocIds.length).toBeGreaterThan(0);
  });

  it("refuses, without an answer step, when the model names no document", async () => {
    // With no documents the grammar admits only an empty list: the real refusal path.
    const outcome = await ask({ documents: [] });
    expect(outcome).toMatchObject({ refused: true, relevantDocIds: [], answer: "", stopped: false, tokens: { answer: null } });
  });

  it("answers two questions asked at once one after the other, each intact", async () => {
    const [a, b] = await Promise.all([ask({ question: "first?" }), ask({ question: "second?" })]);
    for (const outcome of [a, b]) {
      expect(outcome.refused).toBe(false);
      expect(outcome.answer.length).toBeGreaterThan(0);
    }
  });
});
