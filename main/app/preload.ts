// The preload: the renderer's only way into main. It exposes window.sourcebook with invoke and on
// for the contract's names and nothing else (never ipcRenderer itself). Sandboxed preloads cannot
// import modules, so this is bundled into one CommonJS file (vite.preload.config.ts), and imports
// only shared/api-names.ts, which keeps zod out of the bundle.
import { contextBridge, ipcRenderer } from "electron";
import type { Envelope, SourcebookBridge } from "../../shared/api.js";
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, METHOD_NAMES } from "../../shared/api-names.js";
import type { ErrorCode } from "../../shared/errors.js";

const methodNames = new Set<string>(METHOD_NAMES);
const eventNames = new Set<string>(EVENT_NAMES);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

// One IPC listener for all events; subscriptions live here, so the page never touches IPC.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== "string") return;
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      // One failing subscriber must not starve the others of the event.
      console.error(`A listener for ${name} failed:`, error);
    }
  }
});

const bridge: SourcebookBridge = {
  async invoke(method, input) {
    if (typeof method !== "string" || !methodNames.has(method)) return failure("UNKNOWN_METHOD", `There is no method "${String(method)}".`);
    try {
      return (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input)) as Envelope<never>;
    } catch (error) {
      return failure("INTERNAL", error instanceof Error ? error.message : String(error));
    }
  },
  on(event, listener) {
    if (typeof event !== "string" || !eventNames.has(event)) throw new TypeError(`There is no event "${String(event)}".`);
    if (typeof listener !== "function") throw new TypeError("The listener must be a function.");
    const forEvent = listeners.get(event) ?? new Set();
    listeners.set(event, forEvent);
    const wrapped = (payload: unknown) => listener(payload as never);
    forEvent.add(wrapped);
    return () => {
      forEvent.delete(wrapped);
    };
  },
};

contextBridge.exposeInMainWorld("sourcebook", bridge);
