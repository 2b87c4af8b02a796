import type { z } from "zod";
import type { EventName, Events, MethodName, MethodOutput, methods } from "../../shared/api.js";
import type { CatalogModel } from "../llm/models.js";
import type { Services } from "../services.js";
import type { Jobs } from "./jobs.js";
import type { Platform } from "./platform.js";

/** What every handler works with. */
export interface ApiContext {
  services: Services;
  platform: Platform;
  /** To one window when clientId is given, to all of them otherwise. */
  emit<E extends EventName>(event: E, payload: Events[E], clientId?: number): void;
  modelsDir: string;
  /** The models a window may download by name. */
  catalog: readonly CatalogModel[];
  /** CPU threads for the local model; node-llama-cpp's default when undefined. */
  threads: number | undefined;
  /** Answers being generated, owned by the window that asked. */
  streams: Jobs;
  downloads: Jobs;
  /** Indexing started by a call that has already returned. */
  background: Jobs;
  /**
   * Paths the person chose in a native dialog during this session. A window may hand back only
   * these as a new folder or model file: a page that showed a hostile note could otherwise index
   * any folder on the disk, then read it through the preview.
   */
  chosen: Set<string>;
}

export type HandlerInput<M extends MethodName> = z.output<(typeof methods)[M]["input"]>;

export type Handler<M extends MethodName> = (input: HandlerInput<M>, ctx: ApiContext, clientId: number) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
