// Answers being streamed, outside React state: a delta touches only the one stream it belongs to,
// and only the components watching that stream re-render.
import { useSyncExternalStore } from "react";
import type { ApiError, Events } from "../../../shared/api.js";
import type { AskResult } from "../../../shared/chat.js";
import { useEvent } from "../api.js";

export interface StreamState {
  streamId: string;
  text: string;
  /** The ids the model chose, once chat.selected has come. */
  relevantDocIds: number[] | null;
  result: AskResult | null;
  conversationId: number | null;
  error: ApiError | null;
  finished: boolean;
}

type Listener = () => void;

const streams = new Map<string, StreamState>();
const listeners = new Map<string, Set<Listener>>();

function update(streamId: string, change: (state: StreamState) => Partial<StreamState>): void {
  // Events can arrive before chat.ask has returned the id, so a stream starts with whichever comes first.
  const state = streams.get(streamId) ?? { streamId, text: "", relevantDocIds: null, result: null, conversationId: null, error: null, finished: false };
  if (state.finished) return;
  streams.set(streamId, { ...state, ...change(state) });
  for (const listener of [...(listeners.get(streamId) ?? [])]) listener();
}

const streamEvents = {
  selected: ({ streamId, relevantDocIds }: Events["chat.selected"]) => update(streamId, () => ({ relevantDocIds })),
  delta: ({ streamId, text }: Events["chat.delta"]) => update(streamId, (state) => ({ text: state.text + text })),
  done: ({ streamId, conversationId, result }: Events["chat.done"]) =>
    update(streamId, () => ({ result, conversationId, text: result.answer, finished: true })),
  error: ({ streamId, conversationId, error }: Events["chat.error"]) => update(streamId, () => ({ error, conversationId, finished: true })),
};

/** Feeds the chat.* events into the streams; mounted once, for the window's lifetime. */
export function useStreamEvents(): void {
  useEvent("chat.selected", streamEvents.selected);
  useEvent("chat.delta", streamEvents.delta);
  useEvent("chat.done", streamEvents.done);
  useEvent("chat.error", streamEvents.error);
}

export function streamState(streamId: string): StreamState | undefined {
  return streams.get(streamId);
}

export function watchStream(streamId: string, listener: Listener): () => void {
  const set = listeners.get(streamId) ?? new Set<Listener>();
  listeners.set(streamId, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(streamId);
  };
}

/** Forgets a finished stream once its answer is in the stored conversation. */
export function forgetStream(streamId: string): void {
  streams.delete(streamId);
}

export function useStream(streamId: string | null): StreamState | undefined {
  return useSyncExternalStore(
    (listener) => (streamId ? watchStream(streamId, listener) : () => {}),
    () => (streamId ? streams.get(streamId) : undefined),
  );
}
