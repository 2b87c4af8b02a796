import { methods, type Envelope, type EventName, type MethodName } from "../../shared/api.js";
import type { LibraryChange } from "../../shared/library.js";
import type { LlmStatus } from "../../shared/llm.js";
import { modelsDir as defaultModelsDir, MODEL_CATALOG, type CatalogModel } from "../llm/models.js";
import type { Services } from "../services.js";
import type { ApiContext, Handlers } from "./context.js";
import { DeltaBatcher } from "./delta-batcher.js";
import { describeIssues } from "../zod-issues.js";
import { ApiFailure, toApiError } from "./errors.js";
import { appHandlers } from "./handlers/app.js";
import { chatHandlers } from "./handlers/chat.js";
import { conversationsHandlers } from "./handlers/conversations.js";
import { embeddingReporter, embeddingsHandlers } from "./handlers/embeddings.js";
import { libraryHandlers, progressReporter } from "./handlers/library.js";
import { modelsHandlers } from "./handlers/models.js";
import { notesHandlers } from "./handlers/notes.js";
import { settingsHandlers } from "./handlers/settings.js";
import { Jobs } from "./jobs.js";
import type { Platform } from "./platform.js";
import { throttle } from "./throttle.js";

export interface ApiOptions {
  /** The API owns them from now on: close() closes them. */
  services: Services;
  platform: Platform;
  /** Delivers an event to one window (clientId) or to all of them (no clientId). */
  emit: (event: EventName, payload: unknown, clientId?: number) => void;
  /** Where models are downloaded; the per-user models folder by default. */
  modelsDir?: string;
  /** What a window may download by name; MODEL_CATALOG by default (tests serve their own). */
  catalog?: readonly CatalogModel[];
  /** CPU threads for the local model. */
  threads?: number;
}

/** Every method of shared/api.ts over the services; the Electron IPC and the end-to-end bridge both call it. */
export interface Api {
  /** Never throws: unknown methods, bad input and failures all come back as { ok: false, error }. */
  invoke(method: string, input: unknown, clientId: number): Promise<Envelope<unknown>>;
  /** The window closed: its answers stop. */
  clientGone(clientId: number): void;
  /** Starts watching the library and loading the last model, in the background; resolves at once. */
  start(): Promise<void>;
  /** Stops answers and downloads, waits for background work, then closes the services. */
  close(): Promise<void>;
}

const handlers: Handlers = {
  ...appHandlers,
  ...settingsHandlers,
  ...libraryHandlers,
  ...embeddingsHandlers,
  ...notesHandlers,
  ...chatHandlers,
  ...conversationsHandlers,
  ...modelsHandlers,
};

/** Watcher batches arrive per file; the library view re-reads its lists once per batch. */
const CHANGES_INTERVAL_MS = 100;
/** Load progress, a few times a second; every other status change at once. */
const STATUS_INTERVAL_MS = 100;

export function createApi(options: ApiOptions): Api {
  const { services, platform } = options;
  const ctx: ApiContext = {
    services,
    platform,
    emit: (event, payload, clientId) => options.emit(event, payload, clientId),
    modelsDir: options.modelsDir ?? defaultModelsDir(),
    catalog: options.catalog ?? MODEL_CATALOG,
    threads: options.threads,
    streams: new Jobs(),
    downloads: new Jobs(),
    background: new Jobs(),
    chosen: new Set(),
  };
  const changes = new DeltaBatcher<LibraryChange>((items) => ctx.emit("library.changed", { changes: items }), CHANGES_INTERVAL_MS);
  const unsubscribe: Array<() => void> = [];
  let started = false;
  let closing: Promise<void> | undefined;

  return {
    async invoke(method, input, clientId) {
      try {
        if (closing) throw new ApiFailure("INTERNAL", "Sourcebook is closing.");
        if (!Object.hasOwn(methods, method)) throw new ApiFailure("UNKNOWN_METHOD", `There is no method "${method}".`);
        const name = method as MethodName;
        const parsed = methods[name].input.safeParse(input);
        if (!parsed.success) throw new ApiFailure("BAD_INPUT", `Invalid input for ${name}: ${describeIssues(parsed.error)}`);
        const handler = handlers[name] as (input: unknown, ctx: ApiContext, clientId: number) => unknown;
        return { ok: true, value: await handler(parsed.data, ctx, clientId) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    },

    clientGone(clientId) {
      ctx.streams.cancelOwner(clientId);
    },

    async start() {
      if (started) return;
      started = true;
      let state: LlmStatus["state"] | undefined;
      const status = throttle(
        (s: LlmStatus) => ctx.emit("models.status", s),
        STATUS_INTERVAL_MS,
        (s) => {
          const progressOnly = s.state === "loading" && state === "loading";
          state = s.state;
          return !progressOnly;
        },
      );
      unsubscribe.push(services.models.onStatus(status));
      ctx.background.start(undefined, async (signal) => {
        await services.library.watch({
          signal,
          onProgress: progressReporter(ctx),
          // Vectors follow the index in the background, where the library has an embedding model.
          onEmbeddingProgress: embeddingReporter(ctx),
          onChange: (change) => changes.push(change),
          onError: (error) => console.error(error),
        });
      });
      const settings = ctx.services.settings.get();
      if (settings.modelPath && services.models.status().state === "unloaded") {
        const load = { modelPath: settings.modelPath, gpu: settings.gpu, contextSize: settings.contextSize, threads: ctx.threads };
        // A model that no longer loads shows as failed in the status; the app still opens.
        ctx.background.start(undefined, () => services.models.load(load).then(() => undefined, () => undefined));
      }
    },

    close() {
      closing ??= (async () => {
        for (const stop of unsubscribe) stop();
        await Promise.all([ctx.streams.close(), ctx.downloads.close(), ctx.background.close()]);
        changes.flush();
        await services.close();
      })();
      return closing;
    },
  };
}
