import type { LlamaCompletion, LlamaCompletionGenerationOptions, LlamaCompletionResponse, Token } from "node-llama-cpp";
import { llamaBinding, type Session } from "./host.js";
import { documentsJson, GROUNDED_SYSTEM_PROMPT, promptText, tokenizeSegments, type ChatMessage, type GroundedDocument, type PromptSegment } from "./prompt.js";

export interface GroundedSettings {
  /** The card recommends 0.1–0.5. */
  temperature: number;
  /** The card recommends 30–50. */
  topK: number;
  maxAnswerTokens: number;
}

export const DEFAULT_GROUNDED_SETTINGS: GroundedSettings = { temperature: 0.3, topK: 40, maxAnswerTokens: 1024 };

export interface GroundedRequest {
  question: string;
  /** doc_id 0..n-1, in the order retrieval ranked them. */
  documents: GroundedDocument[];
  /**
   * Earlier turns, placed after the documents and before the question: the documents stay right
   * after the system prompt, as in training, and each turn brings the documents retrieved for it.
   */
  history?: ChatMessage[];
  settings?: Partial<GroundedSettings>;
  signal?: AbortSignal;
  onSelected?: (relevantDocIds: number[]) => void;
  onTextChunk?: (text: string) => void;
}

export interface TokenCounts {
  /** Tokens in the prompt of the step. */
  prompt: number;
  /** Prompt tokens that had to be evaluated. */
  evaluated: number;
  /** Prompt tokens already in the context from before. */
  reused: number;
  generated: number;
}

export interface GroundedOutcome {
  relevantDocIds: number[];
  /** The model named no document: nothing was answered. */
  refused: boolean;
  answer: string;
  /** Cancelled: the answer (possibly empty) is what was generated until then. */
  stopped: boolean;
  tokens: { select: TokenCounts; answer: TokenCounts | null };
  timings: { selectMs: number; answerMs: number; firstTokenMs: number | null };
}

/** Whatever runs the protocol: the local model host, or a remote endpoint. */
export interface GroundedBackend {
  answer(request: GroundedRequest): Promise<GroundedOutcome>;
  /** For the record kept with each answer. */
  modelName(): string | null;
}

/** The step-1 schema: only the given ids, at most one per document. */
export function relevantIdsSchema(docIds: readonly number[]) {
  return {
    type: "object",
    properties: {
      relevant_doc_ids: { type: "array", items: { enum: [...docIds] }, maxItems: docIds.length },
    },
  } as const;
}

/** Reads step 1's JSON; unknown ids are dropped, and duplicates too (a grammar cannot forbid them). */
export function parseRelevantIds(json: string, docIds: readonly number[]): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const ids = (parsed as { relevant_doc_ids?: unknown } | null)?.relevant_doc_ids;
  if (!Array.isArray(ids)) return [];
  return [...new Set(ids.filter((id): id is number => docIds.includes(id as number)))];
}


/** The protocol's messages, the same for the local model and a remote endpoint. */
export function groundedMessages(request: GroundedRequest): ChatMessage[] {
  return [
    { role: "system", content: GROUNDED_SYSTEM_PROMPT },
    { role: "documents", content: documentsJson(request.documents) },
    ...(request.history ?? []),
    { role: "user", content: request.question },
  ];
}

function counts(prompt: number, evaluated: number, generated: number): TokenCounts {
  return { prompt, evaluated, reused: Math.max(0, prompt - evaluated), generated };
}

/**
 * The model card's two-step protocol on one context sequence. Step 1 names the relevant documents
 * under a JSON-schema grammar at temperature 0; an empty list is a refusal and step 2 never runs.
 * Step 2 continues the same tokens: step 1's prompt, the tokens it generated (re-tokenizing the
 * JSON text could tokenize differently and break the match), then the template's turn suffix, so
 * only that suffix and the last generated token are evaluated again.
 */
export async function answerGrounded(session: Session, request: GroundedRequest): Promise<GroundedOutcome> {
  const settings = { ...DEFAULT_GROUNDED_SETTINGS, ...request.settings };
  const { model, sequence, llama, renderer } = session;
  const tokenize = (text: string, special: boolean) => model.tokenize(text, special);
  const docIds = request.documents.map((d) => d.doc_id);
  const messages = groundedMessages(request);
  const { LlamaCompletion } = await llamaBinding();
  const completion = new LlamaCompletion({ contextSequence: sequence });

  const selectStarted = performance.now();
  const selectSegments = renderer.render(messages);
  const selectPrompt = tokenizeSegments(selectSegments, tokenize);
  // The sequence's own meter says how many prompt tokens were evaluated; the rest were reused.
  const meter = () => sequence.tokenMeter.usedInputTokens;
  let meterStart = meter();
  const generated: Token[] = [];
  const selection = await generate(completion, selectPrompt, {
    grammar: await llama.createGrammarForJsonSchema(relevantIdsSchema(docIds)),
    temperature: 0,
    maxTokens: 64 + 8 * docIds.length,
    signal: request.signal,
    stopOnAbortSignal: true,
    onToken: (tokens) => generated.push(...tokens),
  });
  const select = counts(selectPrompt.length, meter() - meterStart, generated.length);
  const selectMs = performance.now() - selectStarted;
  const stoppedEarly = selection.metadata.stopReason === "abort";
  const relevantDocIds = stoppedEarly ? [] : parseRelevantIds(selection.response, docIds);
  const outcome: GroundedOutcome = {
    relevantDocIds,
    refused: !stoppedEarly && relevantDocIds.length === 0,
    answer: "",
    stopped: stoppedEarly,
    tokens: { select, answer: null },
    timings: { selectMs, answerMs: 0, firstTokenMs: null },
  };
  if (stoppedEarly || outcome.refused) return outcome;
  request.onSelected?.(relevantDocIds);

  const answerStarted = performance.now();
  const json = selection.response.trim();
  const answerSegments = renderer.render([...messages, { role: "assistant", content: json }]);
  const answerPrompt = continueTokens(selectSegments, selectPrompt, jsonTokens(model, generated, json), json, answerSegments, tokenize);
  meterStart = meter();
  let answerTokens = 0;
  const answer = await generate(completion, answerPrompt, {
    temperature: settings.temperature,
    topK: settings.topK,
    maxTokens: settings.maxAnswerTokens,
    signal: request.signal,
    stopOnAbortSignal: true,
    onToken: (tokens) => {
      answerTokens += tokens.length;
      outcome.timings.firstTokenMs ??= performance.now() - answerStarted;
    },
    onTextChunk: request.onTextChunk,
  });
  outcome.answer = answer.response;
  outcome.stopped = answer.metadata.stopReason === "abort";
  outcome.tokens.answer = counts(answerPrompt.length, meter() - meterStart, answerTokens);
  outcome.timings.answerMs = performance.now() - answerStarted;
  return outcome;
}

/**
 * A completion that stops, as stopOnAbortSignal asks, also for a signal aborted before it began
 * (while the question waited for the model, or between the two steps): node-llama-cpp throws then.
 */
function generate(completion: LlamaCompletion, prompt: Token[], options: LlamaCompletionGenerationOptions): Promise<LlamaCompletionResponse> {
  if (options.signal?.aborted) return Promise.resolve({ response: "", metadata: { stopReason: "abort" } });
  return completion.generateCompletionWithMeta(prompt, options);
}

/**
 * The generated tokens that spell the JSON. node-llama-cpp's JSON grammar makes the model add
 * newlines after the closing brace; the template trims the assistant message, so training saw
 * none, and those tokens are left out. Should a token fuse the brace with a newline, the JSON is
 * tokenized as plain text instead: exact, at the cost of a few more evaluated tokens.
 */
function jsonTokens(model: Session["model"], generated: Token[], json: string): Token[] {
  let end = generated.length;
  while (end > 0 && !model.detokenize([generated[end - 1]!]).trim()) end--;
  const kept = generated.slice(0, end);
  return model.detokenize(kept) === json ? kept : model.tokenize(json, false);
}

/**
 * Step 2's prompt as a continuation of step 1's tokens. It relies on the template rendering the
 * earlier messages identically with the assistant turn added; should a template not do that, the
 * prompt is tokenized whole, and only the common prefix is reused.
 */
function continueTokens(
  selectSegments: PromptSegment[],
  selectPrompt: Token[],
  jsonTokenIds: Token[],
  json: string,
  answerSegments: PromptSegment[],
  tokenize: (text: string, special: boolean) => readonly Token[],
): Token[] {
  const jsonIndex = answerSegments.findIndex((s) => !s.special && s.text === json);
  const before = promptText(answerSegments.slice(0, jsonIndex));
  if (jsonIndex === -1 || before !== promptText(selectSegments)) return tokenizeSegments(answerSegments, tokenize);
  return [...selectPrompt, ...jsonTokenIds, ...tokenizeSegments(answerSegments.slice(jsonIndex + 1), tokenize)];
}
