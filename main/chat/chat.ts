import type { AskResult } from "../../shared/chat.js";
import type { Library } from "../library/library.js";
import type { GroundedBackend } from "../llm/grounded.js";
import type { ModelHost } from "../llm/host.js";
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
   * Ask the conversation's last question again: the earlier answer is left out of the history and
   * replaced only once the new one exists, so a failed retry loses nothing.
   */
  replaceLast?: boolean;
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
    const { conversationId: existing, backend = this.models, replaceLast = false, ...askOptions } = options;
    const stored = existing === undefined ? [] : this.conversations.get(existing).messages;
    const messages = replaceLast ? stored.slice(0, -2) : stored;
    const history = historyOf(messages, HISTORY_TURNS);
    const previousQuestion = messages.findLast((m) => m.role === "user")?.content;
    const result = await ask(this.library, backend, question, {
      ...askOptions,
      history,
      retrievalQuery: previousQuestion ? `${question}\n${previousQuestion}` : undefined,
    });
    const conversationId = existing ?? this.conversations.create(question).id;
    const settings = { k: options.k, ...options.settings, ...(backend === this.models ? { contextSize: this.models.status().contextSize } : {}) };
    if (replaceLast) this.conversations.replaceLastExchange(conversationId, question, result, backend.modelName(), settings);
    else this.conversations.addExchange(conversationId, question, result, backend.modelName(), settings);
    return { conversationId, result };
  }
}
