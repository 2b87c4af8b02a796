import type Database from "better-sqlite3";
import type { AskResult, Conversation, ConversationSummary, StoredAnswer, StoredMessage } from "../../shared/chat.js";
import { exchanges, pairingProblems } from "../../shared/exchanges.js";
import { LibraryError } from "../library/errors.js";
import type { ChatMessage } from "../llm/prompt.js";

const TITLE_CHARS = 80;

const NO_ANSWER = {
  refused: null, stopped: null, truncated: null, relevantDocIds: null, citations: null, candidates: null, omitted: null, context: null,
  model: null, settings: null, timings: null, tokens: null,
};

/** A conversation as it comes from a transcript: its own times, no ids yet. */
export interface ImportedConversation {
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: Omit<StoredMessage, "id">[];
}

interface MessageRow {
  id: number;
  role: "user" | "assistant";
  content: string;
  createdAt: number;
  refused: number | null;
  stopped: number | null;
  truncated: number | null;
  relevantDocIds: string | null;
  citations: string | null;
  candidates: string | null;
  omitted: string | null;
  context: string | null;
  model: string | null;
  settings: string | null;
  timings: string | null;
  tokens: string | null;
}

function toMessage(row: MessageRow): StoredMessage {
  const answer: StoredAnswer | null =
    row.role === "assistant"
      ? {
          refused: row.refused === 1,
          stopped: row.stopped === 1,
          truncated: row.truncated === 1,
          relevantDocIds: JSON.parse(row.relevantDocIds ?? "[]") as number[],
          citations: JSON.parse(row.citations ?? "[]") as StoredAnswer["citations"],
          candidates: JSON.parse(row.candidates ?? "[]") as StoredAnswer["candidates"],
          omitted: JSON.parse(row.omitted ?? "[]") as StoredAnswer["omitted"],
          context: JSON.parse(row.context ?? "null") as StoredAnswer["context"],
          model: row.model,
          settings: JSON.parse(row.settings ?? "{}") as Record<string, unknown>,
          timings: JSON.parse(row.timings ?? "null") as StoredAnswer["timings"],
          tokens: JSON.parse(row.tokens ?? "null") as StoredAnswer["tokens"],
        }
      : null;
  return { id: row.id, role: row.role, content: row.content, createdAt: row.createdAt, answer };
}

/** Conversations and their messages, in the library database; every SQL statement is here. */
export class ConversationStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    const summary = `SELECT c.id, c.title, c.created_at AS createdAt, c.updated_at AS updatedAt,
      (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS messageCount FROM conversations c`;
    this.q = {
      create: p("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?) RETURNING id"),
      list: p(`${summary} ORDER BY c.updated_at DESC, c.id DESC`),
      summary: p(`${summary} WHERE c.id = ?`),
      messages: p(`SELECT id, role, content, created_at AS createdAt, refused, stopped, truncated, relevant_doc_ids AS relevantDocIds,
        citations, candidates, omitted, context, model, settings, timings, tokens FROM messages WHERE conversation_id = ? ORDER BY ordinal`),
      replaceAnswer: p(`UPDATE messages SET content = @content, created_at = @createdAt, refused = @refused, stopped = @stopped,
        truncated = @truncated, relevant_doc_ids = @relevantDocIds, citations = @citations, candidates = @candidates,
        omitted = @omitted, context = @context, model = @model, settings = @settings, timings = @timings, tokens = @tokens
        WHERE id = @id AND role = 'assistant' RETURNING conversation_id AS conversationId`),
      nextOrdinal: p("SELECT coalesce(max(ordinal) + 1, 0) AS n FROM messages WHERE conversation_id = ?"),
      insertMessage: p(`INSERT INTO messages (conversation_id, ordinal, role, content, created_at, refused, stopped, truncated,
        relevant_doc_ids, citations, candidates, omitted, context, model, settings, timings, tokens)
        VALUES (@conversationId, @ordinal, @role, @content, @createdAt, @refused, @stopped, @truncated, @relevantDocIds, @citations,
        @candidates, @omitted, @context, @model, @settings, @timings, @tokens)`),
      touch: p("UPDATE conversations SET updated_at = ? WHERE id = ?"),
      rename: p("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?"),
      remove: p("DELETE FROM conversations WHERE id = ?"),
      removeIfEmpty: p("DELETE FROM conversations WHERE id = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?)"),
    };
  }

  create(title: string): ConversationSummary {
    const now = Date.now();
    const { id } = this.q.create.get(cleanTitle(title), now, now) as { id: number };
    return this.summary(id);
  }

  /** Newest first. The filter is matched here rather than in SQL: SQLite's lower() folds only ASCII. */
  list(filter?: string): ConversationSummary[] {
    const all = this.q.list.all() as ConversationSummary[];
    const needle = filter?.trim().toLocaleLowerCase();
    return needle ? all.filter((c) => c.title.toLocaleLowerCase().includes(needle)) : all;
  }

  get(id: number): Conversation {
    return { ...this.summary(id), messages: (this.q.messages.all(id) as MessageRow[]).map(toMessage) };
  }

  rename(id: number, title: string): ConversationSummary {
    this.summary(id);
    this.q.rename.run(cleanTitle(title), Date.now(), id);
    return this.summary(id);
  }

  delete(id: number): void {
    if (this.q.remove.run(id).changes === 0) throw notFound(id);
  }

  /**
   * Deletes a conversation that holds no messages (one whose first answer failed); false when it
   * has messages or is gone already. One statement, so a question stored meanwhile is never lost.
   */
  deleteIfEmpty(id: number): boolean {
    return this.q.removeIfEmpty.run(id, id).changes > 0;
  }

  /** Stores a question and its answer together: a conversation never holds a question without its answer. */
  addExchange(id: number, question: string, result: AskResult, model: string | null, settings: Record<string, unknown>): void {
    this.db.transaction(() => {
      this.summary(id);
      const now = Date.now();
      const ordinal = (this.q.nextOrdinal.get(id) as { n: number }).n;
      this.insert(id, ordinal, { role: "user", content: question, createdAt: now, answer: null });
      this.insert(id, ordinal + 1, { role: "assistant", content: result.answer, createdAt: now, answer: storedAnswer(result, model, settings) });
      this.q.touch.run(now, id);
    }).immediate();
  }

  /**
   * Puts a new answer in place of the answer with this id (regenerating), where it stands: later
   * turns asked meanwhile stay as they are. NOT_FOUND when that answer was deleted meanwhile.
   */
  replaceAnswer(messageId: number, result: AskResult, model: string | null, settings: Record<string, unknown>): void {
    this.db.transaction(() => {
      const now = Date.now();
      const columns = { id: messageId, content: result.answer, createdAt: now, ...answerColumns(storedAnswer(result, model, settings)) };
      const row = this.q.replaceAnswer.get(columns) as { conversationId: number } | undefined;
      if (!row) throw new LibraryError("NOT_FOUND", "The answer being regenerated was deleted meanwhile; the new answer was not stored.");
      this.q.touch.run(now, row.conversationId);
    }).immediate();
  }

  /** Adds a conversation from a transcript, with its answers and times exactly as they were, under a new id. */
  importConversation(conversation: ImportedConversation): ConversationSummary {
    const { messages } = conversation;
    const problem = pairingProblems(messages)[0];
    if (problem) throw new LibraryError("BAD_INPUT", `A conversation alternates questions and their answers: ${problem.index === null ? "" : `message ${problem.index}: `}${problem.message}.`);
    return this.db.transaction(() => {
      const { id } = this.q.create.get(cleanTitle(conversation.title), conversation.createdAt, conversation.updatedAt) as { id: number };
      messages.forEach((m, ordinal) => this.insert(id, ordinal, m));
      return this.summary(id);
    }).immediate();
  }

  /** The latest turns as prompt messages, oldest first; refusals and stopped answers are left out. */
  history(id: number, maxTurns: number): ChatMessage[] {
    return historyOf(this.get(id).messages, maxTurns);
  }

  private insert(conversationId: number, ordinal: number, { role, content, createdAt, answer }: Omit<StoredMessage, "id">): void {
    this.q.insertMessage.run({ conversationId, ordinal, role, content, createdAt, ...answerColumns(answer) });
  }

  private summary(id: number): ConversationSummary {
    const row = this.q.summary.get(id) as ConversationSummary | undefined;
    if (!row) throw notFound(id);
    return row;
  }
}

function storedAnswer(result: AskResult, model: string | null, settings: Record<string, unknown>): StoredAnswer {
  const { refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, timings, tokens } = result;
  return { refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, model, settings, timings, tokens };
}

/** An answer as the messages table's columns; a question has none of them. */
function answerColumns(a: StoredAnswer | null): Record<keyof typeof NO_ANSWER, string | number | null> {
  return a
    ? {
        refused: Number(a.refused),
        stopped: Number(a.stopped),
        truncated: Number(a.truncated),
        relevantDocIds: JSON.stringify(a.relevantDocIds),
        citations: JSON.stringify(a.citations),
        candidates: JSON.stringify(a.candidates),
        omitted: JSON.stringify(a.omitted),
        context: JSON.stringify(a.context),
        model: a.model,
        settings: JSON.stringify(a.settings),
        timings: JSON.stringify(a.timings),
        tokens: JSON.stringify(a.tokens),
      }
    : NO_ANSWER;
}

/** The answered turns among a conversation's messages, the last maxTurns of them, as prompt messages. */
export function historyOf(messages: readonly StoredMessage[], maxTurns: number): ChatMessage[] {
  const turns = exchanges(messages)
    .filter(({ answer }) => !answer.answer?.refused && !answer.answer?.stopped)
    .map(({ question, answer }): ChatMessage[] => [
      { role: "user", content: question.content },
      { role: "assistant", content: answer.content },
    ]);
  return turns.slice(-maxTurns).flat();
}

function notFound(id: number): LibraryError {
  return new LibraryError("NOT_FOUND", `There is no conversation ${id}.`);
}

function cleanTitle(title: string): string {
  const clean = title.replace(/\s+/g, " ").trim();
  if (!clean) throw new LibraryError("BAD_INPUT", "A conversation needs a title.");
  return clean.length > TITLE_CHARS ? `${clean.slice(0, TITLE_CHARS - 1)}…` : clean;
}
