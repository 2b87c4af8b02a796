// The grounded protocol's shape, the same for the local model and a remote endpoint: what is asked,
// what comes back, and the step-1 JSON.
import { DEFAULT_SETTINGS, type GenerationSettings } from "../../shared/settings.js";
import { documentsJson, GROUNDED_SYSTEM_PROMPT, type ChatMessage, type GroundedDocument } from "./prompt.js";

export type GroundedSettings = Pick<GenerationSettings, "temperature" | "topK" | "maxAnswerTokens">;

export function groundedSettings(overrides: Partial<GroundedSettings> = {}): GroundedSettings {
  const { temperature, topK, maxAnswerTokens } = DEFAULT_SETTINGS;
  return { temperature, topK, maxAnswerTokens, ...overrides };
}

export interface GroundedRequest {
  question: string;
  /** The retrieved passages, best first, doc_id 0..n-1 in that order; the budget sends as many as fit. */
  documents: GroundedDocument[];
  /**
   * Earlier turns, user and assistant in pairs, oldest first. They go after the documents and
   * before the question: the documents stay right after the system prompt, as in training.
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
  /** Prompt tokens found in the context from before: prompt = evaluated + reused. */
  reused: number;
  generated: number;
}

/** Whose count of tokens the budget went by: the model's own tokenizer, the server's, or an estimate. */
export type TokenCountSource = "model" | "server" | "estimate";

/** How the prompt used the context: what the budget sent and what it left out. */
export interface ContextUse {
  /** The context in tokens. */
  size: number;
  /** Step 1's prompt. */
  promptTokens: number;
  /** Kept free for the answer. */
  answerBudget: number;
  countedBy: TokenCountSource;
  /** Retrieved documents that were not sent, by doc_id: they did not fit the context. */
  omitted: number[];
  /** doc 0 was cut short, at a paragraph or sentence, to fit. */
  shortened: boolean;
  /** Earlier turns sent with the question, and those left out for room. */
  history: { sent: number; leftOut: number };
}

export interface GroundedOutcome {
  relevantDocIds: number[];
  /** The model named no document: nothing was answered. */
  refused: boolean;
  answer: string;
  /** Cancelled: the answer (possibly empty) is what was generated until then. */
  stopped: boolean;
  /** The answer reached the answer budget and was cut there. */
  truncated: boolean;
  /** The documents as sent (doc 0 perhaps shortened), in doc_id order. */
  sent: GroundedDocument[];
  context: ContextUse;
  tokens: { select: TokenCounts; answer: TokenCounts | null };
  timings: { budgetMs: number; selectMs: number; answerMs: number; firstTokenMs: number | null };
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

/** The most tokens step 1's JSON can take for this many documents: the grammar allows nothing longer that is useful. */
export function selectTokenBudget(documents: number): number {
  return 64 + 8 * documents;
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
export function groundedMessages(question: string, documents: readonly GroundedDocument[], history: readonly ChatMessage[] = []): ChatMessage[] {
  return [
    { role: "system", content: GROUNDED_SYSTEM_PROMPT },
    { role: "documents", content: documentsJson(documents) },
    ...history,
    { role: "user", content: question },
  ];
}
