// HTTP for OpenAI-compatible servers, which are untrusted: every wait has a limit, every body a
// size limit, and a request carrying notes never follows a redirect to another server.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { LlmError } from "./errors.js";

export interface HttpLimits {
  /** Until the response's headers arrive: a large prompt on a slow server takes minutes to read. */
  responseMs: number;
  /** The longest silence inside a response body. */
  idleMs: number;
  /** A JSON response body, or one server-sent event. */
  maxBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { responseMs: 10 * 60_000, idleMs: 2 * 60_000, maxBodyBytes: 4 * 1024 * 1024 };

const MAX_REDIRECTS = 3;

export const isAbort = (error: unknown) => (error as Error | null)?.name === "AbortError";

/** The server answered, with an error status or with a body that is not what was asked for. */
export class ServerAnswerError extends LlmError {
  constructor(message: string) {
    super("REMOTE_FAILED", message);
  }
}

/**
 * POSTs JSON. A redirect is followed only to the same origin and only when it keeps the method
 * and body (307, 308): anything else would send the notes, and the key, to another server, or
 * silently turn the request into a GET. Fails with REMOTE_FAILED for an error status, saying what
 * the server said; an abort by `signal` rejects with its AbortError.
 */
export async function postJson(url: string, body: unknown, options: { apiKey?: string; signal?: AbortSignal; limits: HttpLimits }): Promise<Response> {
  const { signal, limits } = options;
  const headers = { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) };
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const timeout = AbortSignal.timeout(limits.responseMs);
    let response: Response;
    try {
      response = await fetch(target, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw new LlmError("REMOTE_FAILED", `${target.href} did not answer within ${Math.round(limits.responseMs / 1000)} s.`);
      throw new LlmError("REMOTE_FAILED", `Cannot reach ${target.href}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      const next = location ? new URL(location, target) : undefined;
      if (!next || next.origin !== target.origin || (response.status !== 307 && response.status !== 308) || redirects >= MAX_REDIRECTS) {
        throw new ServerAnswerError(
          `${target.href} answered ${response.status} with a redirect to ${next?.href ?? "nowhere"}; requests carrying your notes are not redirected${next && next.origin !== target.origin ? " to another server" : ""}. Set the endpoint to the address it redirects to, if you trust it.`,
        );
      }
      target = next;
      continue;
    }
    if (!response.ok) {
      const detail = (await readText(response, { ...limits, maxBodyBytes: 2000 }, signal, "cut").catch(() => "")).slice(0, 300);
      const hint = response.status === 401 || response.status === 403 ? " Check the API key." : "";
      throw new ServerAnswerError(`${target.href} answered ${response.status} ${response.statusText}.${hint}${detail ? ` ${detail}` : ""}`);
    }
    return response;
  }
}

/** The body as text; past maxBodyBytes it fails, or with "cut" ends there; after idleMs of silence it fails. */
export async function readText(response: Response, limits: HttpLimits, signal?: AbortSignal, overflow: "fail" | "cut" = "fail"): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for await (const chunk of timedChunks(response, limits.idleMs, signal)) {
    bytes += chunk.byteLength;
    if (bytes > limits.maxBodyBytes) {
      if (overflow === "cut") break;
      throw new ServerAnswerError(`${response.url || "The endpoint"} sent more than ${limits.maxBodyBytes} bytes where a short JSON answer was expected.`);
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

export async function readJson(response: Response, limits: HttpLimits, signal?: AbortSignal): Promise<unknown> {
  const text = await readText(response, limits, signal);
  try {
    return JSON.parse(text);
  } catch {
    throw new ServerAnswerError(`${response.url || "The endpoint"} answered something that is not JSON: ${text.slice(0, 100)}`);
  }
}

/** The JSON payloads of a text/event-stream response, until [DONE]; an event over maxBodyBytes fails. */
export async function* serverSentEvents(response: Response, limits: HttpLimits, signal?: AbortSignal): AsyncGenerator<unknown> {
  const events: EventSourceMessage[] = [];
  let failure: LlmError | undefined;
  const parser = createParser({
    maxBufferSize: limits.maxBodyBytes,
    onEvent: (event) => events.push(event),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") failure = new LlmError("REMOTE_FAILED", `The endpoint streamed an event of more than ${limits.maxBodyBytes} bytes.`);
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of timedChunks(response, limits.idleMs, signal)) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
    for (const event of events.splice(0)) {
      if (event.data === "[DONE]") return;
      try {
        yield JSON.parse(event.data);
      } catch {
        throw new LlmError("REMOTE_FAILED", `The endpoint streamed something that is not JSON: ${event.data.slice(0, 100)}`);
      }
    }
  }
}

/** The body's chunks; a silence longer than idleMs ends the response with an error. */
async function* timedChunks(response: Response, idleMs: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LlmError("REMOTE_FAILED", `The endpoint went silent for ${Math.round(idleMs / 1000)} s in the middle of its answer.`)), idleMs);
      });
      try {
        const { done, value } = await Promise.race([reader.read(), idle]);
        if (done) return;
        yield value;
      } finally {
        clearTimeout(timer);
      }
      if (signal?.aborted) throw signal.reason;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
