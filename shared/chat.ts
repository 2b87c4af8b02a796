// Types of grounded answers, shared by the main process, the CLI and the renderer.

/** A retrieved chunk as the answer reports it: a citation, or a candidate that was not used. */
export interface SourceRef {
  /** The doc_id the model saw, 0..k-1. */
  docId: number;
  chunkId: number;
  path: string;
  title: string;
  heading: string;
  lineStart: number;
  lineEnd: number;
  snippet: string;
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
  /** Every document that was sent to the model; for a refusal, the closest matches, not used. */
  candidates: SourceRef[];
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
  relevantDocIds: number[];
  citations: Citation[];
  candidates: SourceRef[];
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
