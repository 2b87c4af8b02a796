import type { AskResult, StoredMessage } from "../../shared/chat.js";
import type { Library } from "../library/library.js";
import type { GroundedBackend } from "../llm/grounded.js";
import type { ModelHost } from "../llm/host.js";
import { LibraryError } from "../library/errors.js";
import { ask, type AskOptions } from "./answer.js";
import { historyOf, type ConversationStore } from "./conversations.js";

/** Turns of history sent with a follow-up: enough for context, little enough to leave room for documents. */
export const HISTORY_TURNS = 4;

export interface ChatAskOptions extends Omit<AskOptions, "history" | "retrievalQuery"> {
  /** Continue this conversation; without it a new one starts, titled by the question. */
  conversationId?: number;
  /** A remote endpoint instead of the local model. */
  backend?: GroundedBackend;
  /**
   * Regenerate: the id of the answer to this question, to answer it again. The history is the turns
   * before the question, and the new answer takes that answer's place only once it is complete, so
   * a failed or stopped retry loses nothing and turns asked meanwhile stay.
   */
  replacing?: number;
}

/**
 * Questions within conversations. A follow-up retrieves again, with the previous question added to
 * the query (a follow-up such as "and what do they eat?" has no words to search with of its own),
 * and the earlier turns go into the prompt between the documents and the new question.
 */
export class ChatService {
  constructor(
    private readonly library: Library,
    private readonly models: ModelHost,
    private readonly conversations: ConversationStore,
  ) {}

  async ask(question: string, options: ChatAskOptions = {}): Promise<{ conversationId: number; result: AskResult }> {
    const { conversationId: existing, backend = this.models, replacing, ...askOptions } = options;
    const stored = existing === undefined ? [] : this.conversations.get(existing).messages;
    const messages = replacing === undefined ? stored : stored.slice(0, this.questionIndex(stored, replacing));
    const history = historyOf(messages, HISTORY_TURNS);
    const previousQuestion = messages.findLast((m) => m.role === "user")?.content;
    const result = await ask(this.library, backend, question, {
      ...askOptions,
      history,
      retrievalQuery: previousQuestion ? `${question}\n${previousQuestion}` : undefined,
    });
    const conversationId = existing ?? this.conversations.create(question).id;
    const settings = { k: options.k, ...options.settings, ...(backend === this.models ? { contextSize: this.models.status().contextSize } : {}) };
    if (replacing === undefined) this.conversations.addExchange(conversationId, question, result, backend.modelName(), settings);
    // A stopped retry (Stop, or its window went away) keeps the complete answer it was to replace;
    // the caller still gets the stopped result, to show what happened.
    else if (!result.stopped) this.conversations.replaceAnswer(replacing, result, backend.modelName(), settings);
    return { conversationId, result };
  }

  /** Where the question of the answer being regenerated stands. */
  private questionIndex(messages: readonly StoredMessage[], answerId: number): number {
    const at = messages.findIndex((m) => m.id === answerId);
    if (at < 1 || messages[at]!.role !== "assistant") throw new LibraryError("NOT_FOUND", "The answer to regenerate is no longer in this conversation.");
    return at - 1;
  }
}
