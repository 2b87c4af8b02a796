import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createApi, type Api } from "../../main/api/api.js";
import { createServices, type Services } from "../../main/services.js";
import type { Envelope, EventName, MethodInput, MethodName, MethodOutput } from "../../shared/api.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { eventSender, installBridge } from "./bridge.js";
import { launchChromium } from "./browser.js";
import { serveRenderer, type StaticServer } from "./static-server.js";

/** The repository root, whether this runs as test/e2e/*.ts or compiled into dist/test/e2e/*.js. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "renderer", "index.html"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("Cannot find the repository root above the e2e harness.");
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const RENDERER_DIST = path.join(ROOT, "renderer", "dist");
export const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");

export interface StartOptions {
  /** Notes written under notesDir before the app starts (relative path → content). */
  notes?: Record<string, string | Uint8Array>;
  /** Write the tiny GGUF and load it through the API before the page opens. */
  model?: boolean;
  /** Add notesDir to the library (and index it) before the page opens, skipping the first run. */
  addFolder?: boolean;
  /** Settings to set through the API before the page opens. */
  settings?: MethodInput<"settings.set">;
  colorScheme?: "light" | "dark";
  locale?: string;
  viewport?: { width: number; height: number };
  /** More Chromium switches, for benchmarks. */
  chromiumArgs?: string[];
}

export interface AppHarness {
  dataDir: string;
  notesDir: string;
  dbPath: string;
  /** The tiny GGUF, when started with model: true. */
  modelPath: string | null;
  /** Dialogs and shell calls: queue answers, read what was opened. */
  platform: RecordingPlatform;
  services: Services;
  api: Api;
  browser: Browser;
  context: BrowserContext;
  /** The first window, opened by start(). */
  page: Page;
  url: string;
  /** Every event the API emitted, in order. */
  events: Array<{ event: EventName; payload: unknown; clientId: number | undefined }>;
  /** Every call the pages made, in the order main received them. */
  calls: Array<{ method: string; input: unknown; clientId: number }>;
  /** Uncaught errors and console errors from every page, for tests to assert none happened. */
  pageErrors: string[];
  /** Calls the API as the harness itself (client 0), unwrapping the envelope. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Another window on the same services. */
  openPage(): Promise<Page>;
  /** Closes the services and starts them again on the same data folder, then reloads every page. */
  restartServices(): Promise<void>;
  close(): Promise<void>;
}

const HARNESS_CLIENT = 0;

/**
 * The app without Electron: the real services on a temp data folder, the real API, the production
 * renderer build in Chromium, and window.sourcebook bridged to that API as the preload bridges it.
 */
export async function start(options: StartOptions = {}): Promise<AppHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sourcebook-e2e-"));
  const notesDir = path.join(dataDir, "notes");
  fs.mkdirSync(notesDir);
  for (const [rel, content] of Object.entries(options.notes ?? {})) {
    fs.mkdirSync(path.dirname(path.join(notesDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(notesDir, rel), content);
  }
  const dbPath = path.join(dataDir, "library.sqlite");
  const modelPath = options.model ? writeTinyGguf(path.join(dataDir, "tiny.gguf"), { seed: 1 }) : null;
  const platform = new RecordingPlatform();

  const pages = new Map<Page, { id: number; send: ReturnType<typeof eventSender> }>();
  let nextClient = 1;
  const events: AppHarness["events"] = [];
  const calls: AppHarness["calls"] = [];
  const emit = (event: EventName, payload: unknown, clientId?: number) => {
    events.push({ event, payload, clientId });
    for (const client of pages.values()) if (clientId === undefined || clientId === client.id) client.send(event, payload);
  };
  const build = async () => {
    const services = createServices({ dbPath, threads: 1 });
    // The API owns the services: api.close() closes them.
    const api = createApi({ services, platform, emit, modelsDir: path.join(dataDir, "models"), threads: 1 });
    await api.start();
    return { services, api };
  };

  let running = await build();
  const server: StaticServer = await serveRenderer(RENDERER_DIST);
  const browser = await launchChromium(options.chromiumArgs);
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? "light",
    locale: options.locale ?? "en-US",
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const pageErrors: string[] = [];
  await installBridge(context, (page, method, input) => {
    const client = pages.get(page);
    if (!client) return Promise.resolve({ ok: false, error: { code: "FORBIDDEN", message: "Unknown window." } });
    calls.push({ method, input, clientId: client.id });
    return running.api.invoke(method, input, client.id);
  });

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const envelope = (await running.api.invoke(method, input, HARNESS_CLIENT)) as Envelope<MethodOutput<M>>;
    if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
    return envelope.value;
  };
  // As a person would: main only takes folders and model files chosen in its dialogs.
  if (modelPath) {
    platform.nextModelFile = modelPath;
    await call("models.pickFile", {});
    await call("models.load", { modelPath, gpu: "cpu", contextSize: 8192 });
  }
  if (options.settings) await call("settings.set", options.settings);
  if (options.addFolder) {
    // addFolder returns at once and indexes in the background: wait until every note is accounted for.
    platform.nextFolder = notesDir;
    await call("library.pickFolder", {});
    await call("library.addFolder", { path: notesDir });
    const notes = Object.keys(options.notes ?? {}).length;
    await until(async () => {
      const [folder] = await call("library.folders", {});
      return folder !== undefined && folder.indexed + folder.skipped + folder.failed >= notes;
    }, "the notes folder to be indexed");
  }

  const openPage = async () => {
    const page = await context.newPage();
    const id = nextClient++;
    pages.set(page, { id, send: eventSender(page) });
    page.on("pageerror", (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`console: ${message.text()} (${message.location().url})`);
    });
    // A window going away is what aborts its generations in the app.
    page.on("close", () => {
      pages.delete(page);
      running.api.clientGone(id);
    });
    await page.goto(server.url);
    return page;
  };
  const page = await openPage();

  const harness: AppHarness = {
    dataDir,
    notesDir,
    dbPath,
    modelPath,
    platform,
    get services() {
      return running.services;
    },
    get api() {
      return running.api;
    },
    browser,
    context,
    page,
    url: server.url,
    events,
    calls,
    pageErrors,
    call,
    openPage,
    restartServices: async () => {
      await running.api.close();
      running = await build();
      // The API loads the last model again by itself, as the app does at start.
      if (modelPath) await until(() => running.services.models.status().state === "ready", "the model to load again");
      for (const p of pages.keys()) await p.reload();
    },
    close: async () => {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
      await running.api.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls a condition every 25 ms until it holds, for state that changes in the background. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Saves a screenshot of the page as test-results/screenshots/NAME.png, the test artifacts. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Transitions finished, so that a progress bar shows where it is, not where it was animating from.
  await page.screenshot({ path: file, animations: "disabled" });
  return file;
}
