// The only user of window.sourcebook: the preload's bridge in the app, an imitation of it in the
// end-to-end tests. Everything else in the renderer calls through here.
import { useEffect, useRef } from "react";
import type { ApiError, EventName, Events, MethodInput, MethodName, MethodOutput, SourcebookBridge } from "../../shared/api.js";
import type { ErrorCode } from "../../shared/errors.js";

declare global {
  interface Window {
    sourcebook?: SourcebookBridge;
  }
}

export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  static from(error: ApiError): CallError {
    return new CallError(error.code, error.message);
  }
}

function bridge(): SourcebookBridge {
  if (!window.sourcebook) throw new CallError("NO_BRIDGE", "Sourcebook's main process is not connected.");
  return window.sourcebook;
}

/** Calls a main-process method; a failure becomes a CallError with the main process's code and message. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const envelope = await bridge().invoke(method, input);
  if (!envelope.ok) throw CallError.from(envelope.error);
  return envelope.value;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return bridge().on(event, listener);
}

/** Subscribes for the component's lifetime; the latest listener is always the one called. */
export function useEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe(event, (payload) => latest.current(payload)), [event]);
}
