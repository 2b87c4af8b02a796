import type { TokenCounter } from "./budget.js";
import { LlmError } from "./errors.js";
import type { ChatMessage } from "./prompt.js";
import type { TokenCountSource } from "./protocol.js";
import { postJson, readJson, ServerAnswerError, type HttpLimits } from "./remote-http.js";

export interface TokenizerEndpoint {
  baseUrl: string;
  apiKey?: string;
  model: string;
}

/** Counting is a short request; a server that takes longer than this is not worth waiting for. */
const COUNT_LIMITS: HttpLimits = { responseMs: 30_000, idleMs: 30_000, maxBodyBytes: 8 * 1024 * 1024 };

/** The tighter of the counting limits and the endpoint's own. */
const countLimits = (limits: HttpLimits): HttpLimits => ({
  responseMs: Math.min(COUNT_LIMITS.responseMs, limits.responseMs),
  idleMs: Math.min(COUNT_LIMITS.idleMs, limits.idleMs),
  maxBodyBytes: COUNT_LIMITS.maxBodyBytes,
});
/** What a chat template adds around one message, for the estimate: role headers are rarely longer. */
const MESSAGE_OVERHEAD = 16;

type Route = (endpoint: TokenizerEndpoint, root: string, messages: readonly ChatMessage[], limits: HttpLimits, signal?: AbortSignal) => Promise<number | undefined>;

/** vLLM: /tokenize renders the chat template itself and says how many tokens it made. */
const vllm: Route = async (endpoint, root, messages, limits, signal) => {
  const response = await postJson(`${root}/tokenize`, { model: endpoint.model, messages, add_generation_prompt: true }, { apiKey: endpoint.apiKey, signal, limits });
  const body = (await readJson(response, limits, signal)) as { count?: unknown };
  return plausible(body.count);
};

/** llama.cpp's server: /apply-template renders the prompt, /tokenize counts it as the server would. */
const llamaCpp: Route = async (endpoint, root, messages, limits, signal) => {
  const options = { apiKey: endpoint.apiKey, signal, limits };
  const rendered = (await readJson(await postJson(`${root}/apply-template`, { messages }, options), limits, signal)) as { prompt?: unknown };
  if (typeof rendered.prompt !== "string") return undefined;
  const body = (await readJson(await postJson(`${root}/tokenize`, { content: rendered.prompt, add_special: true, parse_special: true }, options), limits, signal)) as {
    tokens?: unknown;
  };
  return Array.isArray(body.tokens) ? plausible(body.tokens.length) : undefined;
};

/** A rendered prompt is never empty: a zero, or no number, means the route is not what it seems. */
const plausible = (count: unknown) => (typeof count === "number" && Number.isInteger(count) && count > 0 ? count : undefined);

/**
 * Counts a remote prompt with the server's own tokenizer where the server has a route for it (vLLM
 * and llama.cpp do), found on the first count; elsewhere (Ollama, hosted APIs) with a
 * conservative estimate, tightened by what the server reported of earlier prompts. `source` says which.
 */
export class RemoteTokenCounter implements TokenCounter {
  source: TokenCountSource = "estimate";
  private route: Route | null | undefined;
  private readonly root: string;

  private readonly limits: HttpLimits;

  constructor(
    private readonly endpoint: TokenizerEndpoint,
    limits: HttpLimits,
    private readonly signal?: AbortSignal,
  ) {
    this.limits = countLimits(limits);
    // The tokenizer routes sit at the server's root, beside /v1.
    this.root = endpoint.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  }

  async prompt(messages: readonly ChatMessage[]): Promise<number> {
    if (this.route === null) return this.estimate(messages);
    if (this.route) {
      const count = await this.route(this.endpoint, this.root, messages, this.limits, this.signal);
      if (count === undefined) throw new LlmError("REMOTE_FAILED", "The endpoint's tokenizer stopped answering with a count.");
      return count;
    }
    // A server that answers with an error has no such route; one that cannot be reached, or does
    // not answer in time, will not answer the question either, and that error is the one to show.
    for (const route of [vllm, llamaCpp]) {
      const count = await route(this.endpoint, this.root, messages, this.limits, this.signal).catch((error: unknown) => {
        if (error instanceof ServerAnswerError) return undefined;
        throw error;
      });
      if (count !== undefined) {
        this.route = route;
        this.source = "server";
        return count;
      }
    }
    this.route = null;
    return this.estimate(messages);
  }

  text(text: string): number {
    return Math.ceil(utf8Bytes(text) * this.tightening());
  }

  /** What the server said a prompt of these messages took: later estimates for this endpoint follow it. */
  observe(messages: readonly ChatMessage[], promptTokens: number | undefined): void {
    if (this.source !== "estimate" || !promptTokens) return;
    const ratio = promptTokens / bytesOfPrompt(messages);
    const key = endpointKey(this.endpoint);
    observedRatios.set(key, Math.max(observedRatios.get(key) ?? 0, ratio));
  }

  private estimate(messages: readonly ChatMessage[]): number {
    return Math.ceil(bytesOfPrompt(messages) * this.tightening());
  }

  /**
   * UTF-8 bytes bound the tokens of any byte-level BPE or byte-fallback SentencePiece vocabulary
   * (each token covers a byte at least), but they count English about four times and Russian six
   * times too high for Vikhr's. Once the server has reported a prompt's tokens, estimates use the
   * highest ratio it showed, with a margin, and never more than the bound.
   */
  private tightening(): number {
    const observed = observedRatios.get(endpointKey(this.endpoint));
    return observed === undefined ? 1 : Math.min(1, observed * ESTIMATE_MARGIN);
  }
}

/** Tokens per estimated byte that each endpoint's server reported, in this process. */
const observedRatios = new Map<string, number>();
const ESTIMATE_MARGIN = 1.2;
const endpointKey = (endpoint: TokenizerEndpoint) => `${endpoint.baseUrl}\n${endpoint.model}`;

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function bytesOfPrompt(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + utf8Bytes(m.content) + MESSAGE_OVERHEAD, MESSAGE_OVERHEAD);
}
