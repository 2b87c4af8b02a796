import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { build } from "vite";
import { beforeAll, describe, expect, it } from "vitest";
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, METHOD_NAMES, type SourcebookBridge } from "../../shared/api.js";
import { ROOT, tempDir } from "../helpers.js";

// The preload is built exactly as `npm run build:preload` builds it, then run the way Electron runs
// a sandboxed preload: one script whose only module is "electron". There is no Electron binary here,
// so "electron" is a recorder of what the script asks of contextBridge and ipcRenderer.
let bundle = "";

beforeAll(async () => {
  const outDir = tempDir();
  await build({ configFile: path.join(ROOT, "vite.preload.config.ts"), build: { outDir }, logLevel: "silent" });
  bundle = fs.readFileSync(path.join(outDir, "preload.cjs"), "utf8");
});

interface Loaded {
  bridge: SourcebookBridge;
  exposed: string[];
  invoked: unknown[][];
  /** What main would send on the event channel. */
  push(name: unknown, payload: unknown): void;
}

function load(answer: (...args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: null })): Loaded {
  const exposed: string[] = [];
  const invoked: unknown[][] = [];
  let bridge: SourcebookBridge | undefined;
  const channels = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: SourcebookBridge) {
        exposed.push(key);
        bridge = api;
      },
    },
    ipcRenderer: {
      on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        channels.set(channel, listener);
      },
      invoke(...args: unknown[]) {
        invoked.push(args);
        return answer(...args);
      },
    },
  };
  const required: string[] = [];
  const require = (name: string) => {
    required.push(name);
    if (name !== "electron") throw new Error(`A sandboxed preload cannot require ${name}`);
    return electron;
  };
  vm.runInNewContext(bundle, { require, console, module: { exports: {} }, exports: {} });
  expect(required).toEqual(["electron"]);
  return {
    bridge: bridge!,
    exposed,
    invoked,
    push: (name, payload) => channels.get(IPC_EVENT_CHANNEL)?.({}, name, payload),
  };
}

describe("the preload", () => {
  it("is one script that needs only electron, without zod", () => {
    expect(bundle).not.toMatch(/\bimport\s|require\((?!"electron"\))/);
    expect(bundle).not.toMatch(/zod|ZodError/);
  });

  it("puts only invoke and on on window.sourcebook, never ipcRenderer", () => {
    const { bridge, exposed } = load();
    expect(exposed).toEqual(["sourcebook"]);
    expect(Object.keys(bridge).sort()).toEqual(["invoke", "on"]);
  });

  it("forwards the contract's methods to main and hands back its envelope", async () => {
    const { bridge, invoked } = load(async () => ({ ok: true, value: [{ path: "/notes" }] }));
    await expect(bridge.invoke("library.folders", {})).resolves.toEqual({ ok: true, value: [{ path: "/notes" }] });
    await bridge.invoke("search.query", { query: "кот" });
    expect(invoked).toEqual([
      [IPC_INVOKE_CHANNEL, "library.folders", {}],
      [IPC_INVOKE_CHANNEL, "search.query", { query: "кот" }],
    ]);
    for (const method of METHOD_NAMES) await bridge.invoke(method, {} as never);
    expect(invoked).toHaveLength(2 + METHOD_NAMES.length);
  });

  it("refuses names outside the contract without reaching main", async () => {
    const { bridge, invoked } = load();
    for (const method of ["fs.readFile", "__proto__", "constructor", "", 42]) {
      const result = await bridge.invoke(method as never, {} as never);
      expect(result).toMatchObject({ ok: false, error: { code: "UNKNOWN_METHOD" } });
    }
    expect(invoked).toEqual([]);
    expect(() => bridge.on("ipc.anything" as never, () => undefined)).toThrow(/no event/);
    expect(() => bridge.on("chat.delta", "not a function" as never)).toThrow(/must be a function/);
  });

  it("turns a failed IPC call into an error envelope", async () => {
    const { bridge } = load(async () => {
      throw new Error("No handler registered for 'sourcebook:invoke'");
    });
    const result = await bridge.invoke("app.info", {});
    expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(!result.ok && result.error.message).toMatch(/No handler registered/);
  });

  it("delivers events to their subscribers until they unsubscribe", () => {
    const { bridge, push } = load();
    const deltas: unknown[] = [];
    const progress: unknown[] = [];
    const stop = bridge.on("chat.delta", (payload) => deltas.push(payload));
    bridge.on("index.progress", (payload) => progress.push(payload));
    // A failing subscriber does not keep the event from the others.
    bridge.on("chat.delta", () => {
      throw new Error("a broken view");
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      push("chat.delta", { streamId: "s1", text: "При" });
      push("chat.delta", { streamId: "s1", text: "вет" });
      push("not.an.event", { streamId: "s1" });
      push(42, {});
      stop();
      push("chat.delta", { streamId: "s1", text: "!" });
    } finally {
      console.error = original;
    }
    expect(deltas).toEqual([
      { streamId: "s1", text: "При" },
      { streamId: "s1", text: "вет" },
    ]);
    expect(progress).toEqual([]);
    expect(errors).toHaveLength(3);
    for (const event of EVENT_NAMES) expect(() => bridge.on(event, () => undefined)).not.toThrow();
  });
});
