import type { GroundedBackend } from "../../llm/grounded.js";
import { RemoteBackend } from "../../llm/remote.js";
import type { ApiContext, Handlers } from "../context.js";
import { DeltaBatcher } from "../delta-batcher.js";
import { ApiFailure, toApiError } from "../errors.js";

const DELTA_INTERVAL_MS = 30;

/**
 * The backend the settings choose: a remote endpoint, or the local model (undefined: ChatService's
 * own). Checked before anything is written, so a question without a model changes nothing.
 */
function chooseBackend(ctx: ApiContext): GroundedBackend | undefined {
  const { remote } = ctx.settings.get();
  if (remote?.enabled) return new RemoteBackend({ baseUrl: remote.baseUrl, model: remote.model, apiKey: remote.apiKey ?? undefined });
  // A model still loading will answer once it is loaded: generations queue behind the load.
  const { state } = ctx.services.models.status();
  if (state !== "ready" && state !== "loading") throw new ApiFailure("NO_MODEL", "No model is loaded. Load or download a model, or set up a remote endpoint.");
  return undefined;
}

/**
 * Answers in the background; every event of the answer goes to the window that asked only. The
 * text goes out in batched deltas, never whole; chat.done or chat.error always ends the stream.
 */
function startAnswer(ctx: ApiContext, clientId: number, question: string, conversationId: number, backend: GroundedBackend | undefined, replaceLast = false): string {
  const { temperature, topK, documentsPerQuestion } = ctx.settings.get();
  return ctx.streams.start(clientId, async (signal, streamId) => {
    const deltas = new DeltaBatcher<string>((texts) => ctx.emit("chat.delta", { streamId, text: texts.join("") }, clientId), DELTA_INTERVAL_MS);
    try {
      const { result } = await ctx.services.chat.ask(question, {
        conversationId,
        backend,
        replaceLast,
        k: documentsPerQuestion,
        settings: { temperature, topK },
        signal,
        onSelected: (relevantDocIds) => ctx.emit("chat.selected", { streamId, relevantDocIds }, clientId),
        onTextChunk: (text) => deltas.push(text),
      });
      deltas.flush();
      ctx.emit("chat.done", { streamId, conversationId, result }, clientId);
    } catch (error) {
      deltas.flush();
      ctx.emit("chat.error", { streamId, conversationId, error: toApiError(error) }, clientId);
    }
  });
}

export const chatHandlers = {
  // The conversation exists before the answer does, so the window can show it at once.
  "chat.ask": ({ question, conversationId }, ctx, clientId) => {
    const backend = chooseBackend(ctx);
    const { conversations } = ctx.services;
    const id = conversationId === undefined ? conversations.create(question).id : conversations.get(conversationId).id;
    return { streamId: startAnswer(ctx, clientId, question, id, backend), conversationId: id };
  },

  "chat.regenerate": ({ conversationId }, ctx, clientId) => {
    const backend = chooseBackend(ctx);
    const messages = ctx.services.conversations.get(conversationId).messages;
    const question = messages.at(-2);
    if (question?.role !== "user" || messages.at(-1)?.role !== "assistant") {
      throw new ApiFailure("NOT_FOUND", `Conversation ${conversationId} has no answer to regenerate.`);
    }
    return { streamId: startAnswer(ctx, clientId, question.content, conversationId, backend, true), conversationId };
  },

  // Stopping keeps what was generated: ChatService stores the partial answer as stopped.
  "chat.cancel": ({ streamId }, ctx, clientId) => {
    ctx.streams.cancel(streamId, clientId);
    return null;
  },
} satisfies Partial<Handlers>;
