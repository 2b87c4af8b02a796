import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GroundedRequest } from "../../main/llm/protocol.js";
import { documentsJson, GROUNDED_SYSTEM_PROMPT, type GroundedDocument } from "../../main/llm/prompt.js";
import { RemoteBackend } from "../../main/llm/remote.js";
import { startOpenAiServer, type OpenAiServer } from "../fixtures/openai-server.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { runCli, tempDir, writeFiles } from "../helpers.js";

const KEY = "token-abc123";
const DOCS: GroundedDocument[] = [
  { doc_id: 0, title: "Кошки", content: "Кошки любят спать на подоконниках." },
  { doc_id: 1, title: "Garden", content: "Tomatoes need sunlight." },
];
let server: OpenAiServer;
let backend: RemoteBackend;

const ask = (request: Partial<GroundedRequest> = {}) =>
  backend.answer({ question: "Где спят кошки?", documents: DOCS, settings: { maxAnswerTokens: 24 }, ...request });

beforeAll(async () => {
  server = await startOpenAiServer({ modelPath: writeTinyGguf(path.join(tempDir(), "tiny.gguf"), { seed: 1 }), apiKey: KEY });
  backend = new RemoteBackend({ baseUrl: server.url, apiKey: KEY, model: "Vikhrmodels/Vikhr-Nemo-12B-Instruct-R-21-09-24", contextSize: 8192 });
});
afterAll(() => server?.close());

describe("remote OpenAI-compatible backend", () => {
  it("runs both steps through chat.completions, with the documents role as a message, and streams the answer", async () => {
    server.requests.length = 0;
    const chunks: string[] = [];
    const outcome = await ask({ onTextChunk: (t) => chunks.push(t) });
    expect(outcome.refused).toBe(false);
    expect(outcome.relevantDocIds.length).toBeGreaterThan(0);
    expect(chunks.join("")).toBe(outcome.answer);
    expect(outcome.answer.length).toBeGreaterThan(0);

    const [select, answer] = server.requests;
    expect(select!.model).toBe("Vikhrmodels/Vikhr-Nemo-12B-Instruct-R-21-09-24");
    expect(select!.messages).toEqual([
      { role: "system", content: GROUNDED_SYSTEM_PROMPT },
      { role: "documents", content: documentsJson(DOCS) },
      { role: "user", content: "Где спят кошки?" },
    ]);
    expect(select).toMatchObject({ temperature: 0, response_format: { type: "json_schema" } });
    expect(answer).toMatchObject({ stream: true, temperature: 0.3, top_k: 40 });
    expect(answer!.messages.slice(0, 3)).toEqual(select!.messages);
    expect(answer!.messages[3]!.role).toBe("assistant");
    expect(JSON.parse(answer!.messages[3]!.content)).toEqual({ relevant_doc_ids: expect.any(Array) });
    expect(outcome.tokens.select.prompt).toBeGreaterThan(0);
    expect(outcome.tokens.answer!.generated).toBeGreaterThan(0);
  });

  it("refuses when the model names no document, without a second request", async () => {
    server.requests.length = 0;
    const outcome = await ask({ documents: [] });
    expect(outcome).toMatchObject({ refused: true, answer: "", tokens: { answer: null } });
    expect(server.requests).toHaveLength(1);
  });

  it("stops streaming when cancelled, keeping what arrived", async () => {
    const controller = new AbortController();
    let chunks = 0;
    const outcome = await ask({
      settings: { maxAnswerTokens: 400 },
      signal: controller.signal,
      onTextChunk: () => {
        if (++chunks === 2) controller.abort();
      },
    });
    expect(outcome.stopped).toBe(true);
    expect(outcome.answer.length).toBeGreaterThan(0);
  });

  it("says clearly when the key is wrong or the server cannot be reached", async () => {
    const wrongKey = new RemoteBackend({ baseUrl: server.url, apiKey: "nope", model: "m", contextSize: 8192 });
    await expect(wrongKey.answer({ question: "q", documents: DOCS })).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringMatching(/401.*Check the API key/) });
    const nowhere = new RemoteBackend({ baseUrl: "http://127.0.0.1:9/v1", model: "m", contextSize: 8192 });
    await expect(nowhere.answer({ question: "q", documents: DOCS })).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("Cannot reach") });
  });
});

describe("the remote budget, against servers with a small context", () => {
  // Long Russian documents: two tokens a character for the tiny model, far more than 1024 tokens in all.
  const LONG: GroundedDocument[] = Array.from({ length: 6 }, (_, i) => ({
    doc_id: i,
    title: `Кошки ${i}`,
    content: `Кошки спят на подоконниках, заметка ${i}. Зимой они ближе к батарее. `.repeat(6),
  }));
  for (const tokenizer of ["vllm", "llama.cpp", "none"] as const) {
    it(`fits what it sends into the server's context, counted by ${tokenizer === "none" ? "an estimate" : `${tokenizer}'s tokenizer route`}`, async () => {
      const small = await startOpenAiServer({ modelPath: writeTinyGguf(path.join(tempDir(), "tiny.gguf"), { seed: 1 }), contextSize: 1024, tokenizer });
      try {
        const remote = new RemoteBackend({ baseUrl: small.url, model: "m", contextSize: 1024 });
        // The server refuses with a 400, as vLLM does, any request whose prompt and max_tokens pass its context.
        for (const question of ["Где спят кошки?", "А зимой?"]) {
          const outcome = await remote.answer({ question, documents: LONG, settings: { maxAnswerTokens: 1024, temperature: 0 } });
          expect(outcome.context).toMatchObject({ size: 1024, countedBy: tokenizer === "none" ? "estimate" : "server", answerBudget: 256 });
          expect(outcome.sent.length).toBeGreaterThan(0);
          expect(outcome.sent.length + outcome.context.omitted.length).toBe(LONG.length);
          expect(outcome.context.omitted).toEqual(LONG.slice(outcome.sent.length).map((d) => d.doc_id));
          if (tokenizer !== "none") expect(outcome.context.promptTokens).toBe(small.promptTokens[0]);
          small.promptTokens.length = 0;
        }
        for (const request of small.requests) expect(request.max_tokens).toBeGreaterThan(0);
        expect(small.tokenizeCalls > 0).toBe(tokenizer !== "none");
      } finally {
        await small.close();
      }
    });
  }
});

describe("sourcebook ask --endpoint", () => {
  it("answers from the library through the endpoint, printing the same JSON", async () => {
    const root = tempDir();
    writeFiles(path.join(root, "notes"), { "cats.md": "# Кошки\n\nКошки любят спать на подоконниках.\n" });
    const db = path.join(root, "lib.db");
    expect((await runCli(["index", path.join(root, "notes"), "--db", db])).code).toBe(0);
    const run = await runCli(["ask", "Где спят кошки?", "--endpoint", server.url, "--api-key", KEY, "--db", db, "--max-tokens", "8", "--json"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ refused: false, citations: [{ title: "Кошки" }] });
    expect((await runCli(["ask", "q", "--endpoint", server.url, "--model", "x.gguf"])).code).toBe(2);
    expect((await runCli(["ask", "q", "--endpoint", "ftp://x"])).code).toBe(2);
  });
});
