import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GroundedDocument } from "../../main/llm/prompt.js";
import { RemoteBackend } from "../../main/llm/remote.js";
import type { HttpLimits } from "../../main/llm/remote-http.js";

// Servers that misbehave on purpose: the remote backend must bound what it waits for and what it
// reads, and never send the notes anywhere but the endpoint the person chose.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface Hostile {
  url: string;
  /** Every request received: method, path and body. */
  received: Array<{ method: string; url: string; body: string }>;
  /** Connections the server saw closed by the client. */
  closedByClient: number;
  close(): Promise<void>;
}

async function hostile(handler: Handler): Promise<Hostile> {
  const state: Hostile = { url: "", received: [], closedByClient: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      state.received.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.on("close", () => {
        if (!res.writableFinished) state.closedByClient++;
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

const select = (res: http.ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ choices: [{ message: { content: '{"relevant_doc_ids": [0]}' } }], usage: { prompt_tokens: 100, completion_tokens: 8 } }));
};
const isStep2 = (body: string) => (JSON.parse(body) as { stream?: boolean }).stream === true;
const chunk = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`;

const DOCS: GroundedDocument[] = [{ doc_id: 0, title: "Кошки", content: "Кошки любят спать на подоконниках." }];
const LIMITS: HttpLimits = { responseMs: 1500, idleMs: 800, maxBodyBytes: 64 * 1024 };
const ask = (url: string, limits = LIMITS, maxAnswerTokens = 16) =>
  new RemoteBackend({ baseUrl: url, model: "m", contextSize: 8192 }, limits).answer({ question: "Где спят кошки?", documents: DOCS, settings: { maxAnswerTokens } });

describe("a hostile or broken endpoint", () => {
  const servers: Hostile[] = [];
  const start = async (handler: Handler) => {
    const s = await hostile(handler);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("that ignores max_tokens and streams without end is cut off at the answer budget", async () => {
    let sent = 0;
    const server = await start((req, res, body) => {
      if (!isStep2(body)) return select(res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => {
        for (let i = 0; i < 50; i++, sent++) res.write(chunk("бесконечно "));
      }, 1);
      res.on("close", () => clearInterval(timer));
    });
    const outcome = await ask(server.url, LIMITS, 16);
    expect(outcome).toMatchObject({ truncated: true, stopped: false });
    expect(outcome.answer.length).toBeLessThanOrEqual(16 * 32);
    // The request was given up, not read to its end.
    await expect.poll(() => server.closedByClient).toBe(1);
    const atClose = sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(atClose);
  });

  it("that streams one endless event fails with a clear error once the event passes the limit", async () => {
    const server = await start((req, res, body) => {
      if (!isStep2(body)) return select(res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      // One data line that never ends: a line buffer without a bound would grow until memory runs out.
      res.write(`data: {"choices": [{"delta": {"content": "${"x".repeat(200 * 1024)}`);
    });
    await expect(ask(server.url)).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("streamed an event of more than") });
  });

  it("that answers step 1 with a body far larger than JSON needs is refused", async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"choices": [{"message": {"content": "${"y".repeat(200 * 1024)}"}}]}`);
    });
    await expect(ask(server.url)).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("where a short JSON answer was expected") });
  });

  it("that redirects the request to another server gets no notes sent there", async () => {
    const elsewhere = await start((_req, res) => select(res));
    const server = await start((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/chat/completions` });
      res.end();
    });
    await expect(ask(server.url)).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringMatching(/redirect to .* are not redirected to another server/) });
    expect(elsewhere.received).toEqual([]);
    for (const status of [301, 302, 303]) {
      const changesMethod = await start((req, res) => {
        res.writeHead(status, { location: "/v1/elsewhere" });
        res.end();
      });
      await expect(ask(changesMethod.url)).rejects.toMatchObject({ code: "REMOTE_FAILED" });
      // Each request was refused where it was redirected: none went on as a GET.
      expect(changesMethod.received.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /tokenize", "POST /apply-template", "POST /v1/chat/completions"]);
    }
  });

  it("may redirect within its own origin, keeping the method and body", async () => {
    const server = await start((req, res, body) => {
      if (req.url === "/v1/chat/completions") {
        res.writeHead(308, { location: "/v2/chat/completions" });
        return res.end();
      }
      if (!isStep2(body)) return select(res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`${chunk("На подоконниках.")}data: [DONE]\n\n`);
    });
    const outcome = await ask(server.url);
    expect(outcome.answer).toBe("На подоконниках.");
    expect(server.received.filter((r) => r.url === "/v2/chat/completions").map((r) => JSON.parse(r.body).messages[1].role)).toEqual(["documents", "documents"]);
  });

  it("that never answers, or goes silent half-way, fails within its time limit", async () => {
    const silent = await start(() => {});
    await expect(ask(silent.url)).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("did not answer within 2 s") });
    const stalls = await start((req, res, body) => {
      if (!isStep2(body)) return select(res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("Кошки "));
    });
    await expect(ask(stalls.url)).rejects.toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("went silent") });
  });
});

describe("the tokenizer routes of a hostile endpoint", () => {
  let server: Hostile;
  beforeAll(async () => {
    server = await hostile((req, res, body) => {
      if (req.url === "/tokenize") {
        // A count of nothing: taken at its word, the whole library would be sent.
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ count: 0, tokens: [] }));
      }
      if (!isStep2(body)) return select(res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`${chunk("ok")}data: [DONE]\n\n`);
    });
  });
  afterAll(() => server.close());

  it("are not believed when they count nothing: the estimate is used instead", async () => {
    const outcome = await ask(server.url);
    expect(outcome.context.countedBy).toBe("estimate");
    expect(outcome.context.promptTokens).toBeGreaterThan(100);
  });
});
