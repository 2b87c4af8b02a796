import { contextUse, planPrompt } from "./budget.js";
import {
  groundedSettings,
  parseRelevantIds,
  relevantIdsSchema,
  type GroundedBackend,
  type GroundedOutcome,
  type GroundedRequest,
  type TokenCounts,
} from "./protocol.js";
import { DEFAULT_HTTP_LIMITS, isAbort, postJson, readJson, serverSentEvents, type HttpLimits } from "./remote-http.js";
import { RemoteTokenCounter } from "./remote-tokens.js";

export interface RemoteEndpoint {
  /** For example http://localhost:8000/v1 (vLLM) or http://localhost:8080/v1 (llama.cpp). */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** The server's context in tokens: the prompt and the answer must fit in it. */
  contextSize: number;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

/**
 * A server that ignores max_tokens is cut off here: a token is rarely longer than this many
 * characters, so a longer answer means the server kept going.
 */
const MAX_CHARS_PER_TOKEN = 32;

function counts(usage: Usage | undefined, generatedFallback: number): TokenCounts {
  const prompt = usage?.prompt_tokens ?? 0;
  const reused = Math.min(prompt, usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return { prompt, evaluated: prompt - reused, reused, generated: usage?.completion_tokens ?? generatedFallback };
}

/**
 * The same two-step protocol through an OpenAI-compatible chat.completions endpoint: the documents
 * role goes as a message, as the model card does with vLLM, and the server renders the template.
 * The budget counts with the server's tokenizer where it has one. Step 1 asks for the JSON schema's
 * shape through response_format; step 2 streams.
 */
export class RemoteBackend implements GroundedBackend {
  constructor(
    private readonly endpoint: RemoteEndpoint,
    private readonly limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  ) {}

  modelName(): string {
    return this.endpoint.model;
  }

  async answer(request: GroundedRequest): Promise<GroundedOutcome> {
    const settings = groundedSettings(request.settings);
    const { signal } = request;
    const budgetStarted = performance.now();
    const counter = new RemoteTokenCounter(this.endpoint, this.limits, signal);
    let plan;
    try {
      plan = await planPrompt(
        { question: request.question, documents: request.documents, history: request.history ?? [], contextSize: this.endpoint.contextSize, maxAnswerTokens: settings.maxAnswerTokens },
        counter,
      );
    } catch (error) {
      if (!isAbort(error)) throw error;
      return stoppedBefore(request, this.endpoint.contextSize, performance.now() - budgetStarted);
    }
    const docIds = plan.documents.map((d) => d.doc_id);
    const outcome: GroundedOutcome = {
      relevantDocIds: [],
      refused: false,
      answer: "",
      stopped: false,
      truncated: false,
      sent: plan.documents,
      context: contextUse(plan),
      tokens: { select: counts(undefined, 0), answer: null },
      timings: { budgetMs: performance.now() - budgetStarted, selectMs: 0, answerMs: 0, firstTokenMs: null },
    };

    const selectStarted = performance.now();
    let selection: { choices?: Array<{ message?: { content?: unknown } }>; usage?: Usage };
    try {
      const response = await this.post(
        {
          messages: plan.messages,
          temperature: 0,
          max_tokens: plan.selectBudget,
          response_format: { type: "json_schema", json_schema: { name: "relevant_documents", schema: relevantIdsSchema(docIds) } },
        },
        signal,
      );
      selection = (await readJson(response, this.limits, signal)) as typeof selection;
    } catch (error) {
      if (!isAbort(error)) throw error;
      return { ...outcome, stopped: true, timings: { ...outcome.timings, selectMs: performance.now() - selectStarted } };
    }
    const content = selection.choices?.[0]?.message?.content;
    const json = (typeof content === "string" ? content : "").trim();
    outcome.relevantDocIds = parseRelevantIds(json, docIds);
    outcome.refused = outcome.relevantDocIds.length === 0;
    outcome.tokens.select = counts(selection.usage, 0);
    counter.observe(plan.messages, selection.usage?.prompt_tokens);
    outcome.timings.selectMs = performance.now() - selectStarted;
    if (outcome.refused) return outcome;
    request.onSelected?.(outcome.relevantDocIds);

    const answerStarted = performance.now();
    const maxChars = plan.answerBudget * MAX_CHARS_PER_TOKEN;
    const cutOff = new AbortController();
    let usage: Usage | undefined;
    let chunks = 0;
    try {
      const response = await this.post(
        {
          messages: [...plan.messages, { role: "assistant", content: json }],
          temperature: settings.temperature,
          top_k: settings.topK,
          max_tokens: plan.answerBudget,
          stream: true,
          stream_options: { include_usage: true },
        },
        signal ? AbortSignal.any([signal, cutOff.signal]) : cutOff.signal,
      );
      for await (const event of serverSentEvents(response, this.limits, signal)) {
        const data = event as { choices?: Array<{ delta?: { content?: unknown } }>; usage?: Usage };
        const content = data.choices?.[0]?.delta?.content;
        if (typeof content === "string" && content) {
          let text = content;
          chunks++;
          if (outcome.answer.length + text.length > maxChars || chunks > plan.answerBudget) {
            text = text.slice(0, Math.max(0, maxChars - outcome.answer.length));
            outcome.truncated = true;
          }
          outcome.timings.firstTokenMs ??= performance.now() - answerStarted;
          outcome.answer += text;
          if (text) request.onTextChunk?.(text);
          if (outcome.truncated) {
            cutOff.abort();
            break;
          }
        }
        if (data.usage) usage = data.usage;
      }
    } catch (error) {
      if (!isAbort(error)) throw error;
      outcome.stopped = !outcome.truncated;
    }
    outcome.tokens.answer = counts(usage, chunks);
    if (!outcome.truncated && outcome.tokens.answer.generated >= plan.answerBudget) outcome.truncated = true;
    outcome.timings.answerMs = performance.now() - answerStarted;
    return outcome;
  }

  private post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Response> {
    const url = `${this.endpoint.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    return postJson(url, { model: this.endpoint.model, ...body }, { apiKey: this.endpoint.apiKey, signal, limits: this.limits });
  }
}

/** Stopped while the budget was being counted: nothing was sent to be answered. */
function stoppedBefore(request: GroundedRequest, size: number, budgetMs: number): GroundedOutcome {
  const none = { prompt: 0, evaluated: 0, reused: 0, generated: 0 };
  return {
    relevantDocIds: [],
    refused: false,
    answer: "",
    stopped: true,
    truncated: false,
    sent: [],
    context: {
      size,
      promptTokens: 0,
      answerBudget: 0,
      countedBy: "estimate",
      omitted: request.documents.map((d) => d.doc_id),
      shortened: false,
      history: { sent: 0, leftOut: (request.history?.length ?? 0) / 2 },
    },
    tokens: { select: none, answer: null },
    timings: { budgetMs, selectMs: 0, answerMs: 0, firstTokenMs: null },
  };
}
