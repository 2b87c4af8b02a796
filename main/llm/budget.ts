// The token budget: the one place that decides what is sent to the model. A prompt that does not
// fit is never sent, because runtimes cut an over-long prompt at its start (node-llama-cpp keeps the
// end), which drops the system prompt and the documents while the answer still cites them.
import { LlmError } from "./errors.js";
import { DOCUMENT_SEPARATOR, documentJson, type ChatMessage, type GroundedDocument } from "./prompt.js";
import { groundedMessages, selectTokenBudget, type ContextUse, type TokenCountSource } from "./protocol.js";

/** Counts tokens as the model will see them. */
export interface TokenCounter {
  /** Whose count this is; known once prompt() has been called. */
  readonly source: TokenCountSource;
  /** The whole prompt, rendered with the chat template, up to the assistant's turn. */
  prompt(messages: readonly ChatMessage[]): Promise<number>;
  /** A piece of message text: cheap, to choose what to try; prompt() has the last word. */
  text(text: string): number;
}

export interface BudgetRequest {
  question: string;
  /** Best first. */
  documents: readonly GroundedDocument[];
  /** user/assistant pairs, oldest first. */
  history: readonly ChatMessage[];
  contextSize: number;
  maxAnswerTokens: number;
}

export interface PromptPlan {
  /** Step 1's messages. */
  messages: ChatMessage[];
  /** The documents sent, in rank order; doc 0 perhaps shortened. */
  documents: GroundedDocument[];
  /** doc_ids of the retrieved documents left out. */
  omitted: number[];
  shortened: boolean;
  history: { sent: number; leftOut: number };
  contextSize: number;
  promptTokens: number;
  /** Step 1's maxTokens. */
  selectBudget: number;
  /** Step 2's maxTokens. */
  answerBudget: number;
  countedBy: TokenCountSource;
}

/** Less of a note than this is not worth sending: the question then needs a larger context. */
export const MIN_DOCUMENT_TOKENS = 200;
/** Ends a shortened document, so the model, and whoever reads the transcript, sees it goes on. */
export const SHORTENED_MARK = " […]";
/**
 * Earlier turns get at most this share of the room left for documents and history, newest turn
 * first, the oldest going first when room is short: the passages retrieved for this question are
 * the evidence, while a follow-up mostly needs the turn just before it.
 */
const HISTORY_SHARE = 0.25;
/** What a chat template adds around a message's text; an estimate that the exact count corrects. */
const MESSAGE_OVERHEAD = 8;
/** Each exact count that still overflows drops one document or turn, or shortens doc 0 further. */
const MAX_REFITS = 24;
const PLACEHOLDER_JSON = '{"relevant_doc_ids": [0]}';

/**
 * At most a quarter of the context goes to the answer, so that a small context still holds
 * documents; the default 1024 tokens are untouched from a 4096-token context up.
 */
export function answerBudgetFor(contextSize: number, maxAnswerTokens: number): number {
  return Math.max(1, Math.min(maxAnswerTokens, Math.floor(contextSize / 4)));
}

/**
 * Chooses what goes into step 1's prompt so that both steps fit the context with room for their
 * output: step 1's prompt and JSON, then step 2's turn suffix and the whole answer budget.
 * Documents go in rank order while they fit, and only the first may be shortened (at a
 * paragraph, else a sentence boundary) so that one document is always sent; earlier turns share
 * the room as HISTORY_SHARE says. Throws CONTEXT_TOO_SMALL when not even the instructions, the
 * question and MIN_DOCUMENT_TOKENS of a note fit.
 */
export async function planPrompt(request: BudgetRequest, counter: TokenCounter): Promise<PromptPlan> {
  const { question, documents, contextSize: size } = request;
  const answerBudget = answerBudgetFor(size, request.maxAnswerTokens);
  const turns = pairs(request.history);
  const build = (docs: readonly GroundedDocument[], sentTurns: readonly ChatMessage[][]) => groundedMessages(question, docs, sentTurns.flat());

  const bare = build([], []);
  const bareTokens = await counter.prompt(bare);
  // Step 2 adds step 1's JSON (within selectBudget) and the template's end of that turn.
  const turnEnd = Math.max(0, (await counter.prompt([...bare, { role: "assistant", content: PLACEHOLDER_JSON }])) - bareTokens - counter.text(PLACEHOLDER_JSON));
  const overflow = (promptTokens: number, docCount: number) => promptTokens + selectTokenBudget(docCount) + turnEnd + answerBudget - size;
  const tooSmall = () => contextTooSmall(size, answerBudget, bareTokens);
  const plan = (messages: ChatMessage[], docs: GroundedDocument[], sentTurns: number, promptTokens: number, shortened: boolean): PromptPlan => ({
    messages,
    documents: docs,
    omitted: documents.slice(docs.length).map((d) => d.doc_id),
    shortened,
    history: { sent: sentTurns, leftOut: turns.length - sentTurns },
    contextSize: size,
    promptTokens,
    selectBudget: selectTokenBudget(docs.length),
    answerBudget,
    countedBy: counter.source,
  });

  // With a large enough context everything fits, and one exact count settles it.
  const everything = build(documents, turns);
  const everythingTokens = await counter.prompt(everything);
  if (overflow(everythingTokens, documents.length) <= 0) return plan(everything, [...documents], turns.length, everythingTokens, false);
  if (!documents.length) throw tooSmall();

  // The cheap per-piece counts, scaled to agree with the exact count of everything: a server's
  // tokenizer can differ from the estimate by half or more.
  const rawDocCost = (doc: GroundedDocument) => counter.text(documentJson(doc)) + counter.text(DOCUMENT_SEPARATOR);
  const rawTurnCost = (turn: ChatMessage[]) => turn.reduce((n, m) => n + counter.text(m.content) + MESSAGE_OVERHEAD, 0);
  const estimated = documents.reduce((n, d) => n + rawDocCost(d), 0) + turns.reduce((n, t) => n + rawTurnCost(t), 0);
  const scale = estimated > 0 ? Math.max(1, (everythingTokens - bareTokens) / estimated) : 1;
  const docCost = (doc: GroundedDocument) => Math.ceil(rawDocCost(doc) * scale);
  const turnCost = (turn: ChatMessage[]) => Math.ceil(rawTurnCost(turn) * scale);

  const room = size - bareTokens - turnEnd - answerBudget;
  const first = documents[0]!;
  const firstMinimum = Math.min(MIN_DOCUMENT_TOKENS, docCost(first));
  if (room < selectTokenBudget(1) + firstMinimum) throw tooSmall();

  const historyRoom = Math.min(Math.floor((room - selectTokenBudget(documents.length)) * HISTORY_SHARE), room - selectTokenBudget(1) - firstMinimum);
  let sentTurns: ChatMessage[][] = [];
  let historyCost = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const cost = turnCost(turns[i]!);
    if (historyCost + cost > historyRoom) break;
    historyCost += cost;
    sentTurns = [turns[i]!, ...sentTurns];
  }

  let sent: GroundedDocument[] = [];
  let docsCost = 0;
  for (const doc of documents) {
    const cost = docCost(doc);
    if (historyCost + docsCost + cost + selectTokenBudget(sent.length + 1) > room) break;
    sent.push(doc);
    docsCost += cost;
  }
  let shortened = false;
  if (!sent.length) {
    const cut = shorten(first, room - historyCost - selectTokenBudget(1), docCost);
    if (!cut) throw tooSmall();
    sent = [cut];
    shortened = true;
  }

  // The exact count decides; a miss drops the last document, then the oldest turn, then cuts doc 0 shorter.
  for (let refit = 0; refit < MAX_REFITS; refit++) {
    const messages = build(sent, sentTurns);
    const promptTokens = await counter.prompt(messages);
    const over = overflow(promptTokens, sent.length);
    if (over <= 0) return plan(messages, sent, sentTurns.length, promptTokens, shortened);
    if (sent.length > 1) sent = sent.slice(0, -1);
    else if (sentTurns.length) sentTurns = sentTurns.slice(1);
    else {
      const cut = shorten(first, docCost(sent[0]!) - over - 1, docCost);
      if (!cut || cut.content.length >= sent[0]!.content.length) throw tooSmall();
      sent = [cut];
      shortened = true;
    }
  }
  throw tooSmall();
}

/** What an outcome reports of the plan. */
export function contextUse(plan: PromptPlan): ContextUse {
  const { contextSize: size, promptTokens, answerBudget, countedBy, omitted, shortened, history } = plan;
  return { size, promptTokens, answerBudget, countedBy, omitted, shortened, history };
}

function pairs(history: readonly ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (let i = 0; i + 1 < history.length; i += 2) turns.push([history[i]!, history[i + 1]!]);
  return turns;
}

function contextTooSmall(size: number, answerBudget: number, bareTokens: number): LlmError {
  return new LlmError(
    "CONTEXT_TOO_SMALL",
    `The model's context of ${size} tokens is too small for this question: the instructions and the question take ${bareTokens} tokens, ` +
      `the answer needs ${answerBudget} more, and at least ${MIN_DOCUMENT_TOKENS} tokens of a note must fit beside them. ` +
      "Choose a larger context size, or a shorter maximum answer.",
  );
}

/**
 * doc 0 cut at a boundary so that it costs at most `budget` tokens, or undefined when no boundary
 * is early enough. A paragraph boundary is preferred when it keeps at least half of what a
 * sentence boundary (or a line break: list items, table rows, code) would; text with no sentence
 * end early enough (one very long sentence) is cut between words, rather than send no note at all.
 */
export function shorten(doc: GroundedDocument, budget: number, cost: (doc: GroundedDocument) => number): GroundedDocument | undefined {
  const at = (end: number): GroundedDocument => ({ ...doc, content: doc.content.slice(0, end).trimEnd() + SHORTENED_MARK });
  const longest = (ends: number[]) => {
    let low = 0;
    let high = ends.length - 1;
    let best: number | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (cost(at(ends[mid]!)) <= budget) {
        best = ends[mid];
        low = mid + 1;
      } else high = mid - 1;
    }
    return best;
  };
  const text = doc.content;
  const paragraph = longest(boundaries(text, /\n[ \t]*\n/g));
  const sentence = longest(boundaries(text, /[.!?…][)"'»”]*(?=\s)|\n/g, true));
  if (paragraph !== undefined && (sentence === undefined || paragraph >= sentence / 2)) return at(paragraph);
  if (sentence !== undefined) return at(sentence);
  const word = longest(boundaries(text, /\s+/g));
  return word === undefined ? undefined : at(word);
}

/** Where the text may be cut, in increasing order: before each match, or after it with `after`. */
function boundaries(text: string, pattern: RegExp, after = false): number[] {
  const ends: number[] = [];
  for (const match of text.matchAll(pattern)) {
    const end = after ? match.index + match[0].length : match.index;
    if (end > 0 && end < text.length && end !== ends.at(-1)) ends.push(end);
  }
  return ends;
}
