import { OMITTED_REASON, type AnswerTokens, type AskResult, type Citation, type OmittedRef, type SourceRef } from "../../shared/chat.js";
import { MAX_CHUNK_CHARS, type SearchFilters, type SearchHit } from "../../shared/library.js";
import { sourceLabel } from "../../shared/source-label.js";
import { DEFAULT_SETTINGS, documentsPerQuestionSchema } from "../../shared/settings.js";
import { LibraryError } from "../library/errors.js";
import type { Library } from "../library/library.js";
import type { ChatMessage, GroundedDocument } from "../llm/prompt.js";
import type { GroundedBackend, GroundedSettings, TokenCounts } from "../llm/protocol.js";

export interface AskOptions {
  /** Passages retrieved; as many of them as fit the context are sent. */
  k?: number;
  filters?: SearchFilters;
  settings?: Partial<GroundedSettings>;
  signal?: AbortSignal;
  onSelected?: (relevantDocIds: number[]) => void;
  onTextChunk?: (text: string) => void;
  /** Called once retrieval found something to send: a front end can load the model only then. */
  prepare?: () => Promise<unknown>;
  /** Earlier turns of the conversation, as user/assistant pairs. */
  history?: ChatMessage[];
  /** What to retrieve with, when it is more than the question (a follow-up). */
  retrievalQuery?: string;
}

const REFUSAL = {
  ru: { none: "В ваших заметках нет ответа на этот вопрос.", matches: "Ниже — ближайшие совпадения; для ответа они не использовались." },
  en: { none: "Your notes do not answer this question.", matches: "The closest matches are below; they were not used for an answer." },
};

function refusalText(question: string, hasMatches: boolean): string {
  const text = REFUSAL[questionLanguage(question)];
  return hasMatches ? `${text.none} ${text.matches}` : text.none;
}

/**
 * Russian when the question has at least as many Cyrillic letters as Latin ones: a Russian
 * question often names technical terms in Latin letters ("Что делает git rebase?").
 */
export function questionLanguage(question: string): "ru" | "en" {
  const cyrillic = question.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = question.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyrillic > 0 && cyrillic >= latin ? "ru" : "en";
}

function sourceRef(hit: SearchHit, docId: number): SourceRef {
  const { chunkId, path, title, heading, lineStart, lineEnd, page, snippet, retrievers } = hit;
  return { docId, chunkId, path, title, heading, lineStart, lineEnd, ...(page === null ? {} : { page }), snippet, retrievers };
}

function sum(...steps: Array<TokenCounts | null>): AnswerTokens {
  const total: AnswerTokens = { prompt: 0, evaluated: 0, reused: 0, generated: 0 };
  for (const step of steps) {
    if (!step) continue;
    total.prompt += step.prompt;
    total.evaluated += step.evaluated;
    total.reused += step.reused;
    total.generated += step.generated;
  }
  return total;
}

/**
 * Answers a question from the library: retrieval, then the model's two-step grounded protocol on as
 * many of the retrieved passages as fit its context. The citations are exactly the documents the
 * model named; when it names none, or retrieval finds nothing (then the model is not even asked),
 * the answer is a plain refusal in the question's language.
 */
export async function ask(library: Library, backend: GroundedBackend, question: string, options: AskOptions = {}): Promise<AskResult> {
  if (!question.trim()) throw new LibraryError("BAD_INPUT", "The question is empty.");
  const k = options.k ?? DEFAULT_SETTINGS.documentsPerQuestion;
  if (!documentsPerQuestionSchema.safeParse(k).success) throw new LibraryError("BAD_INPUT", `Documents per question must be 1 to 20, not ${k}.`);

  const retrieveStarted = performance.now();
  // The library's own mode: hybrid where its embedding model has vectors, else lexical.
  const { hits } = await library.query(options.retrievalQuery ?? question, { k, filters: options.filters, signal: options.signal });
  const texts = library.chunkTexts(hits.map((h) => h.chunkId));
  const retrieveMs = performance.now() - retrieveStarted;
  const noAnswer = {
    question,
    refused: true,
    relevantDocIds: [],
    stopped: false,
    truncated: false,
    citations: [],
    steps: { select: null, answer: null },
  };
  if (!hits.length) {
    return {
      ...noAnswer,
      answer: refusalText(question, false),
      candidates: [],
      omitted: [],
      context: null,
      tokens: sum(),
      timings: { retrieveMs, selectMs: 0, answerMs: 0, firstTokenMs: null },
    };
  }

  const documents: GroundedDocument[] = hits.map((hit, docId) => ({
    doc_id: docId,
    // The title the model sees: the note's title and where in it the chunk stands.
    title: sourceLabel(hit),
    content: (texts.get(hit.chunkId) ?? hit.snippet).slice(0, MAX_CHUNK_CHARS),
  }));
  await options.prepare?.();
  const outcome = await backend.answer({
    question,
    documents,
    history: options.history,
    settings: options.settings,
    signal: options.signal,
    onSelected: options.onSelected,
    onTextChunk: options.onTextChunk,
  });
  const { context } = outcome;
  const candidates = outcome.sent.map((doc): SourceRef => ({ ...sourceRef(hits[doc.doc_id]!, doc.doc_id), ...(context.shortened && doc.doc_id === 0 ? { shortened: true } : {}) }));
  const omitted = context.omitted.map((id): OmittedRef => ({ ...sourceRef(hits[id]!, id), reason: OMITTED_REASON }));
  const shared = {
    candidates,
    omitted,
    context: { size: context.size, promptTokens: context.promptTokens, answerBudget: context.answerBudget, countedBy: context.countedBy, history: context.history },
    timings: { retrieveMs, selectMs: outcome.timings.selectMs, answerMs: outcome.timings.answerMs, firstTokenMs: outcome.timings.firstTokenMs },
  };
  if (outcome.refused) {
    return { ...noAnswer, ...shared, answer: refusalText(question, true), tokens: sum(outcome.tokens.select), steps: { select: outcome.tokens.select, answer: null } };
  }
  return {
    question,
    refused: false,
    relevantDocIds: outcome.relevantDocIds,
    answer: outcome.answer,
    stopped: outcome.stopped,
    truncated: outcome.truncated,
    citations: outcome.relevantDocIds.map((id): Citation => ({ ...candidates.find((c) => c.docId === id)!, text: outcome.sent.find((d) => d.doc_id === id)!.content })),
    ...shared,
    tokens: sum(outcome.tokens.select, outcome.tokens.answer),
    steps: { select: outcome.tokens.select, answer: outcome.tokens.answer },
  };
}
