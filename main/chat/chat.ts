import type { AskResult, StoredMessage } from "../../shared/chat.js";
import type { Library } from "../library/library.js";
import { LibraryError } from "../library/errors.js";
import type { ModelHost } from "../llm/host.js";
import { LocalBackend } from "../llm/local.js";
import type { GroundedBackend } from "../llm/protocol.js";
import type { SettingsStore } from "../settings/store.js";
import { ask, type AskOptions } from "./answer.js";
import { historyOf, type ConversationStore } from "./conversations.js";

/** Turns of history offered with a follow-up; the budget sends the newest of them that fit. */
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
 * and the earlier turns go into the prompt between the documents and the new question. What is
 * not given in the options comes from the person's settings.
 */
export class ChatService {
  private readonly local: LocalBackend;

  constructor(
    private readonly library: Library,
    models: ModelHost,
    private readonly conversations: ConversationStore,
    private readonly settings: SettingsStore,
  ) {
    this.local = new LocalBackend(models);
  }

  async ask(question: string, options: ChatAskOptions = {}): Promise<{ conversationId: number; result: AskResult }> {
    const { conversationId: existing, backend = this.local, replacing, ...askOptions } = options;
    const stored = existing === undefined ? [] : this.conversations.get(existing).messages;
    const messages = replacing === undefined ? stored : stored.slice(0, this.questionIndex(stored, replacing));
    const history = historyOf(messages, HISTORY_TURNS);
    const previousQuestion = messages.findLast((m) => m.role === "user")?.content;
    const { temperature, topK, maxAnswerTokens, documentsPerQuestion } = this.settings.get();
    const k = askOptions.k ?? documentsPerQuestion;
    const generation = { temperature, topK, maxAnswerTokens, ...askOptions.settings };
    const result = await ask(this.library, backend, question, {
      ...askOptions,
      k,
      settings: generation,
      history,
      retrievalQuery: previousQuestion ? `${question}\n${previousQuestion}` : undefined,
    });
    const conversationId = existing ?? this.conversations.create(question).id;
    const record = { k, ...generation, contextSize: result.context?.size ?? null };
    if (replacing === undefined) this.conversations.addExchange(conversationId, question, result, backend.modelName(), record);
    // A stopped retry (Stop, or its window went away) keeps the complete answer it was to replace;
    // the caller still gets the stopped result, to show what happened.
    else if (!result.stopped) this.conversations.replaceAnswer(replacing, result, backend.modelName(), record);
    return { conversationId, result };
  }

  /** Where the question of the answer being regenerated stands. */
  private questionIndex(messages: readonly StoredMessage[], answerId: number): number {
    const at = messages.findIndex((m) => m.id === answerId);
    if (at < 1 || messages[at]!.role !== "assistant") throw new LibraryError("NOT_FOUND", "The answer to regenerate is no longer in this conversation.");
    return at - 1;
  }
}
