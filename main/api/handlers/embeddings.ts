import path from "node:path";
import type { EmbeddingsView } from "../../../shared/api.js";
import type { EmbeddingProgress } from "../../../shared/library.js";
import type { EmbedderConfig } from "../../library/vectors/embedder.js";
import { isInside } from "../../path-inside.js";
import { sameEndpoint } from "../../settings/store.js";
import type { ApiContext, Handlers } from "../context.js";
import { ApiFailure } from "../errors.js";
import { throttle } from "../throttle.js";

const PROGRESS_INTERVAL_MS = 100;

/** The embedding model and its coverage, and whether main holds a key for its endpoint. */
export function embeddingsView(ctx: ApiContext): EmbeddingsView {
  const status = ctx.services.library.embeddingStatus();
  const endpoint = status.model?.kind === "remote" ? status.model.location : null;
  return { ...status, hasApiKey: endpoint !== null && ctx.services.settings.embeddingApiKey(endpoint) !== null };
}

/**
 * embeddings.progress for every window, a few times a second, and how each run ended; after the
 * end, embeddings.status, which says why a run failed.
 */
export function embeddingReporter(ctx: ApiContext): (progress: EmbeddingProgress) => void {
  const report = throttle((progress: EmbeddingProgress) => ctx.emit("embeddings.progress", progress), PROGRESS_INTERVAL_MS, (progress) => progress.phase !== "embedding");
  return (progress) => {
    report(progress);
    if (progress.phase !== "embedding") ctx.emit("embeddings.status", embeddingsView(ctx));
  };
}

/** As models.load takes a file: one the person picked, one downloaded into the models folder, or the one in use. */
function mayUseModelFile(ctx: ApiContext, modelPath: string): boolean {
  const resolved = path.resolve(modelPath);
  const current = ctx.services.library.embeddingStatus().model;
  return ctx.chosen.has(resolved) || isInside(resolved, ctx.modelsDir) || (current?.kind === "local" && current.location === resolved);
}

/** The model was set: every window learns it, and what has no vector yet is embedded in the background. */
function changed(ctx: ApiContext): EmbeddingsView {
  const view = embeddingsView(ctx);
  ctx.emit("embeddings.status", view);
  startRun(ctx);
  return view;
}

/**
 * Makes this the library's embedding model. A run in progress stops first (the model is set only
 * between runs, and a run of the whole library takes hours on a CPU); if the new model fails, the
 * run goes on with the old one.
 */
async function switchTo(ctx: ApiContext, config: EmbedderConfig, then?: () => void): Promise<EmbeddingsView> {
  const { library } = ctx.services;
  const wasRunning = library.embeddingStatus().running;
  library.stopEmbedding();
  try {
    await library.useEmbeddingModel(config);
  } catch (error) {
    if (wasRunning) startRun(ctx);
    throw error;
  }
  then?.();
  return changed(ctx);
}

function startRun(ctx: ApiContext): void {
  ctx.background.start(undefined, async (signal) => {
    // The end, failed or not, reaches the windows through the reporter; stopping is no failure.
    await ctx.services.library.embed({ signal, onProgress: embeddingReporter(ctx) }).catch(() => undefined);
  });
}

export const embeddingsHandlers = {
  "embeddings.status": (_input, ctx) => embeddingsView(ctx),

  // The embedding model loads native code, as the answering model does: models.load's rule.
  "embeddings.useModel": async ({ modelPath }, ctx) => {
    if (!mayUseModelFile(ctx, modelPath)) throw new ApiFailure("FORBIDDEN", "Embedding models are chosen through the file picker or the download list.");
    return switchTo(ctx, { kind: "local", modelPath });
  },

  /**
   * Every note's text goes to an embeddings endpoint, so one not in use already is confirmed by the
   * person in main's own dialog, as the chat endpoint is. Its key is stored only once the endpoint
   * has answered with a vector, and only for that endpoint.
   */
  "embeddings.useEndpoint": async ({ baseUrl, model, apiKey }, ctx) => {
    const { library, settings } = ctx.services;
    const current = library.embeddingStatus().model;
    if (!(current?.kind === "remote" && sameEndpoint(current.location, baseUrl))) {
      if (!(await ctx.platform.confirmEndpoint(baseUrl, "embeddings"))) {
        throw new ApiFailure("CANCELLED", `Notes were not sent to ${baseUrl} to be embedded: the change was not confirmed.`);
      }
    }
    const config: EmbedderConfig = { kind: "remote", baseUrl, model, apiKey: apiKey === undefined ? settings.embeddingApiKey(baseUrl) : apiKey };
    return switchTo(ctx, config, () => apiKey !== undefined && settings.setEmbeddingApiKey(baseUrl, apiKey));
  },

  "embeddings.start": (_input, ctx) => {
    startRun(ctx);
    return null;
  },

  "embeddings.stop": (_input, ctx) => {
    ctx.services.library.stopEmbedding();
    return null;
  },
} satisfies Partial<Handlers>;
