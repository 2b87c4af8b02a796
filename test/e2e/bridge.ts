import type { BrowserContext, Page } from "playwright-core";
import { EVENT_NAMES, METHOD_NAMES, type Envelope } from "../../shared/api.js";

const INVOKE_BINDING = "__sourcebookInvoke";
const DISPATCH = "__sourcebookDispatch";

interface BridgeNames {
  methods: readonly string[];
  events: readonly string[];
  invokeBinding: string;
  dispatch: string;
}

type Listener = (payload: unknown) => void;
type PageGlobals = Record<string, unknown> & { sourcebook?: unknown };

/**
 * Runs in the page before its scripts, as the preload does: window.sourcebook with exactly the
 * contract's names, and a hidden dispatcher through which the harness delivers events. Written
 * without closures over Node values, since Playwright sends its source text to the page.
 */
function installInPage(names: BridgeNames): void {
  const page = globalThis as unknown as PageGlobals;
  const methods = new Set(names.methods);
  const events = new Set(names.events);
  const listeners = new Map<string, Set<Listener>>();
  Object.defineProperty(page, names.dispatch, {
    value: (event: string, payload: unknown) => {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
  });
  const sourcebook = {
    invoke: (method: string, input: unknown) => {
      if (!methods.has(method)) return Promise.resolve({ ok: false, error: { code: "UNKNOWN_METHOD", message: `No method ${method}.` } });
      return (page[names.invokeBinding] as (m: string, i: unknown) => Promise<unknown>)(method, input);
    },
    on: (event: string, listener: Listener) => {
      // As the preload: an unknown event or a listener that is not a function is a programming error.
      if (!events.has(event)) throw new TypeError(`There is no event "${String(event)}".`);
      if (typeof listener !== "function") throw new TypeError("The listener must be a function.");
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      // Wrapped, so that subscribing the same function twice gives two subscriptions, as ipcRenderer.on does.
      const wrapped: Listener = (payload) => listener(payload);
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
  };
  Object.defineProperty(page, "sourcebook", { value: Object.freeze(sourcebook), enumerable: true });
}

export type Invoke = (page: Page, method: string, input: unknown) => Promise<Envelope<unknown>>;

/**
 * Gives every page of the context the same window.sourcebook as the preload, wired to `invoke`.
 * Calls from a subframe are refused, as main refuses a sender that is not the app's main frame.
 */
export async function installBridge(context: BrowserContext, invoke: Invoke): Promise<void> {
  await context.exposeBinding(INVOKE_BINDING, ({ page, frame }, method: string, input: unknown) => {
    if (frame !== page.mainFrame()) return { ok: false, error: { code: "FORBIDDEN", message: "Calls come from the app's main frame only." } };
    return invoke(page, method, input);
  });
  await context.addInitScript(installInPage, { methods: METHOD_NAMES, events: EVENT_NAMES, invokeBinding: INVOKE_BINDING, dispatch: DISPATCH });
}

/**
 * Delivers events to a page in order, one at a time, as IPC does. A page that is navigating or
 * gone loses the event, as a destroyed webContents would.
 */
export function eventSender(page: Page): (event: string, payload: unknown) => void {
  let queue = Promise.resolve();
  return (event, payload) => {
    // The payload crosses as JSON, as IPC's structured clone would copy it.
    const copy: unknown = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
    queue = queue
      .then(() => page.evaluate(([name, e, p]) => (globalThis as unknown as Record<string, (e: string, p: unknown) => void>)[name]!(e, p), [DISPATCH, event, copy] as const))
      .catch(() => {});
  };
}
