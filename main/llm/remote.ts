import type { GroundedBackend, GroundedOutcome, GroundedRequest, TokenCounts } from "./grounded.js";
import { DEFAULT_GROUNDED_SETTINGS, groundedMessages, parseRelevantIds, relevantIdsSchema } from "./grounded.js";
import { LlmError } from "./errors.js";

export interface RemoteEndpoint {
  /** For example http://localhost:8000/v1 (vLLM) or http://localhost:8080/v1 (llama.cpp). */
  baseUrl: string;
  apiKey?: string;
  model: string;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

function counts(usage: Usage | undefined, generatedFallback: number): TokenCounts {
  const prompt = usage?.prompt_tokens ?? 0;
  const reused = Math.min(prompt, usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return { prompt, evaluated: prompt - reused, reused, generated: usage?.completion_tokens ?? generatedFallback };
}

const isAbort = (error: unknown) => (error as Error | null)?.name === "AbortError";

/**
 * The same two-step protocol through an OpenAI-compatible chat.completions endpoint: the documents
 * role goes as a message, as the model card does with vLLM, and the server renders the template.
 * Step 1 asks for the JSON schema's shape through response_format; step 2 streams.
 */
export class RemoteBackend implements GroundedBackend {
  constructor(private readonly endpoint: RemoteEndpoint) {}

  modelName(): string {
    return this.endpoint.model;
  }

  async answer(request: GroundedRequest): Promise<GroundedOutcome> {
    const settings = { ...DEFAULT_GROUNDED_SETTINGS, ...request.settings };
    const docIds = request.documents.map((d) => d.doc_id);
    const messages = groundedMessages(request);
    const outcome: GroundedOutcome = {
      relevantDocIds: [],
      refused: false,
      answer: "",
      stopped: false,
      tokens: { select: counts(undefined, 0), answer: null },
      timings: { selectMs: 0, answerMs: 0, firstTokenMs: null },
    };

    const selectStarted = performance.now();
    let selection: { choices?: Array<{ message?: { content?: string } }>; usage?: Usage };
    try {
      selection = (await (
        await this.post(
          {
            messages,
            temperature: 0,
            max_tokens: 64 + 8 * docIds.length,
            response_format: { type: "json_schema", json_schema: { name: "relevant_documents", schema: relevantIdsSchema(docIds) } },
          },
          request.signal,
        )
      ).json()) as typeof selection;
    } catch (error) {
      if (!isAbort(error)) throw error;
      return { ...outcome, stopped: true, timings: { ...outcome.timings, selectMs: performance.now() - selectStarted } };
    }
    const json = (selection.choices?.[0]?.message?.content ?? "").trim();
    outcome.relevantDocIds = parseRelevantIds(json, docIds);
    outcome.refused = outcome.relevantDocIds.length === 0;
    outcome.tokens.select = counts(selection.usage, 0);
    outcome.timings.selectMs = performance.now() - selectStarted;
    if (outcome.refused) return outcome;
    request.onSelected?.(outcome.relevantDocIds);

    const answerStarted = performance.now();
    let usage: Usage | undefined;
    let chunks = 0;
    try {
      const response = await this.post(
        {
          messages: [...messages, { role: "assistant", content: json }],
          temperature: settings.temperature,
          top_k: settings.topK,
          max_tokens: settings.maxAnswerTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        request.signal,
      );
      for await (const event of serverSentEvents(response)) {
        const data = event as { choices?: Array<{ delta?: { content?: string } }>; usage?: Usage };
        const text = data.choices?.[0]?.delta?.content;
        if (text) {
          chunks++;
          outcome.timings.firstTokenMs ??= performance.now() - answerStarted;
          outcome.answer += text;
          request.onTextChunk?.(text);
        }
        if (data.usage) usage = data.usage;
      }
    } catch (error) {
      if (!isAbort(error)) throw error;
      outcome.stopped = true;
    }
    outcome.tokens.answer = counts(usage, chunks);
    outcome.timings.answerMs = performance.now() - answerStarted;
    return outcome;
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Response> {
    const url = `${this.endpoint.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.endpoint.apiKey ? { authorization: `Bearer ${this.endpoint.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.endpoint.model, ...body }),
        signal,
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new LlmError("REMOTE_FAILED", `Cannot reach ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => "")).slice(0, 300);
      const hint = response.status === 401 || response.status === 403 ? " Check the API key." : "";
      throw new LlmError("REMOTE_FAILED", `${url} answered ${response.status} ${response.statusText}.${hint}${detail ? ` ${detail}` : ""}`);
    }
    return response;
  }
}

/** The JSON payloads of a text/event-stream response, until [DONE]. */
async function* serverSentEvents(response: Response): AsyncGenerator<unknown> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") return;
      try {
        yield JSON.parse(data);
      } catch {
        throw new LlmError("REMOTE_FAILED", `The endpoint streamed something that is not JSON: ${data.slice(0, 100)}`);
      }
    }
  }
}
