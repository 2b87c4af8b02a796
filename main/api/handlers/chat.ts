import type { GroundedBackend } from "../../llm/protocol.js";
import { RemoteBackend } from "../../llm/remote.js";
import type { ApiContext, Handlers } from "../context.js";
import { DeltaBatcher } from "../delta-batcher.js";
import { ApiFailure, toApiError } from "../errors.js";
import { conversationsChanged } from "./conversations.js";

const DELTA_INTERVAL_MS = 30;

/**
 * The backend the settings choose: a remote endpoint, or the local model (undefined: ChatService's
 * own). Checked before anything is written, so a question without a model changes nothing.
 */
function chooseBackend(ctx: ApiContext): GroundedBackend | undefined {
  const { remote } = ctx.services.settings.get();
  if (remote?.enabled) {
    const apiKey = ctx.services.settings.remoteApiKey() ?? undefined;
    return new RemoteBackend({ baseUrl: remote.baseUrl, model: remote.model, apiKey, contextSize: remote.contextSize });
  }
  // A model still loading will answer once it is loaded: generations queue behind the load.
  const { state } = ctx.services.models.status();
  if (state !== "ready" && state !== "loading") throw new ApiFailure("NO_MODEL", "No model is loaded. Load or download a model, or set up a remote endpoint.");
  return undefined;
}

interface Answering {
  conversationId: number;
  /** Regenerating: the id of the answer that the new one replaces. */
  replacing?: number;
  /** This call created the conversation: a first answer that fails takes it away again. */
  created?: boolean;
}

/**
 * Answers in the background; every event of the answer goes to the window that asked only. The
 * text goes out in batched deltas, never whole; chat.done or chat.error always ends the stream.
 */
function startAnswer(ctx: ApiContext, clientId: number, question: string, backend: GroundedBackend | undefined, answering: Answering): string {
  const { conversationId, replacing, created = false } = answering;
  return ctx.streams.start(clientId, async (signal, streamId) => {
    const deltas = new DeltaBatcher<string>((texts) => ctx.emit("chat.delta", { streamId, text: texts.join("") }, clientId), DELTA_INTERVAL_MS);
    try {
      const { result } = await ctx.services.chat.ask(question, {
        conversationId,
        backend,
        replacing,
        signal,
        onSelected: (relevantDocIds) => ctx.emit("chat.selected", { streamId, relevantDocIds }, clientId),
        onTextChunk: (text) => deltas.push(text),
      });
      deltas.flush();
      conversationsChanged(ctx, conversationId, "messages");
      ctx.emit("chat.done", { streamId, conversationId, result }, clientId);
    } catch (error) {
      deltas.flush();
      // An empty conversation would stay in the list with only the question as its title. The error
      // still names it: the window that asked may already show it, and finds it gone.
      try {
        if (created && ctx.services.conversations.deleteIfEmpty(conversationId)) conversationsChanged(ctx, conversationId, "deleted");
      } finally {
        ctx.emit("chat.error", { streamId, conversationId, error: toApiError(error) }, clientId);
      }
    }
  });
}

export const chatHandlers = {
  // The conversation exists before the answer does, so the window can show it at once.
  "chat.ask": ({ question, conversationId }, ctx, clientId) => {
    const backend = chooseBackend(ctx);
    const { conversations } = ctx.services;
    const created = conversationId === undefined;
    const id = created ? conversations.create(question).id : conversations.get(conversationId).id;
    if (created) conversationsChanged(ctx, id, "created");
    return { streamId: startAnswer(ctx, clientId, question, backend, { conversationId: id, created }), conversationId: id };
  },

  // The answer is named by its id, so a question asked while this one is answered again stays as it is.
  "chat.regenerate": ({ conversationId }, ctx, clientId) => {
    const backend = chooseBackend(ctx);
    const messages = ctx.services.conversations.get(conversationId).messages;
    const [question, answer] = messages.slice(-2);
    if (question?.role !== "user" || answer?.role !== "assistant") {
      throw new ApiFailure("NOT_FOUND", `Conversation ${conversationId} has no answer to regenerate.`);
    }
    return { streamId: startAnswer(ctx, clientId, question.content, backend, { conversationId, replacing: answer.id }), conversationId };
  },

  // Stopping keeps what was generated: ChatService stores the partial answer as stopped, or, when
  // regenerating, keeps the answer that was to be replaced.
  "chat.cancel": ({ streamId }, ctx, clientId) => {
    ctx.streams.cancel(streamId, clientId);
    return null;
  },
} satisfies Partial<Handlers>;
