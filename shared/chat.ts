// Types of grounded answers, shared by the main process, the CLI and the renderer.
import type { Retrievers } from "./library.js";

/** A retrieved chunk as the answer reports it: a citation, or a candidate that was not used. */
export interface SourceRef {
  /** The doc_id the model saw: the rank in retrieval, from 0 (an omitted chunk keeps its rank, unseen). */
  docId: number;
  chunkId: number;
  path: string;
  title: string;
  heading: string;
  lineStart: number;
  lineEnd: number;
  /** The PDF page the passage is on, from 1; only PDFs have one. */
  page?: number;
  snippet: string;
  /** Sent cut short, at a paragraph or sentence, to fit the context (only ever doc 0). */
  shortened?: true;
  /** Which retriever found it, at which rank (from 1); answers given before hybrid search have none. */
  retrievers?: Retrievers;
}

/** A retrieved chunk that was not sent to the model. */
export interface OmittedRef extends SourceRef {
  /** OMITTED_REASON, the one reason there is. */
  reason: string;
}

export const OMITTED_REASON = "did not fit the context";

/** How the question used the model's context. */
export interface ContextReport {
  /** The context in tokens. */
  size: number;
  /** Step 1's prompt. */
  promptTokens: number;
  /** Tokens kept free for the answer. */
  answerBudget: number;
  /** Whose tokenizer counted: the model's, the endpoint server's, or an estimate. */
  countedBy: "model" | "server" | "estimate";
  /** Earlier turns of the conversation sent with the question, and those left out for room. */
  history: { sent: number; leftOut: number };
}

/** A cited chunk, with its text as it was when the answer was given. */
export interface Citation extends SourceRef {
  text: string;
}

export interface AnswerTokens {
  prompt: number;
  evaluated: number;
  reused: number;
  generated: number;
}

export interface AskResult {
  question: string;
  /** The notes do not answer it: no answer was generated. */
  refused: boolean;
  relevantDocIds: number[];
  /** The answer, or for a refusal the message shown in its place. */
  answer: string;
  /** Cancelled before the end: the answer is partial. */
  stopped: boolean;
  /** Exactly the documents the model named. */
  citations: Citation[];
  /** Exactly the documents sent to the model; for a refusal, the closest matches, not used. */
  candidates: SourceRef[];
  /** Retrieved, but left out: they did not fit the context. */
  omitted: OmittedRef[];
  /** Null when the model was not asked (nothing was retrieved). */
  context: ContextReport | null;
  /** The answer reached its token budget and ends there. */
  truncated: boolean;
  /** Both steps together; `steps` has each. */
  tokens: AnswerTokens;
  steps: { select: AnswerTokens | null; answer: AnswerTokens | null };
  timings: { retrieveMs: number; selectMs: number; answerMs: number; firstTokenMs: number | null };
}

export interface ConversationSummary {
  id: number;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface StoredAnswer {
  refused: boolean;
  stopped: boolean;
  truncated: boolean;
  relevantDocIds: number[];
  citations: Citation[];
  candidates: SourceRef[];
  omitted: OmittedRef[];
  context: ContextReport | null;
  model: string | null;
  settings: Record<string, unknown>;
  timings: AskResult["timings"];
  tokens: AskResult["tokens"];
}

export interface StoredMessage {
  id: number;
  role: "user" | "assistant";
  content: string;
  createdAt: number;
  /** For assistant messages. */
  answer: StoredAnswer | null;
}

export interface Conversation extends ConversationSummary {
  messages: StoredMessage[];
}
