import path from "node:path";
import type { CatalogEntry } from "../../../shared/api.js";
import { listModels, pullModel, resolveModelRef, type CatalogModel } from "../../llm/models.js";
import { isInside } from "../../path-inside.js";
import type { ApiContext, Handlers } from "../context.js";
import { ApiFailure, toApiError } from "../errors.js";
import { choose } from "./library.js";
import { throttle } from "../throttle.js";

const PROGRESS_INTERVAL_MS = 200;

/**
 * The catalog, each entry with its file once downloaded, then any other .gguf in the models
 * folder. The downloader prefixes Hugging Face file names (hf_<user>_…), so a file is matched by
 * how its name ends.
 */
function catalog(dir: string, models: readonly CatalogModel[]): CatalogEntry[] {
  const local = listModels(dir);
  const known = models.map((m) => ({
    name: m.id,
    description: `${m.name}, ${m.quantization}`,
    purpose: m.purpose ?? "answer",
    bytes: m.approxBytes,
    path: local.find((file) => file.fileName.endsWith(path.posix.basename(m.uri)))?.path ?? null,
  }));
  const others = local.filter((file) => !known.some((k) => k.path === file.path));
  return [...known, ...others.map((file) => ({ name: file.fileName, description: "", purpose: null, bytes: file.bytes, path: file.path }))];
}

/** A file the person picked, one downloaded into the models folder, or the one already in use. */
export function mayLoadModel(ctx: ApiContext, modelPath: string): boolean {
  const resolved = path.resolve(modelPath);
  return ctx.chosen.has(resolved) || isInside(resolved, ctx.modelsDir) || resolved === ctx.services.models.status().modelPath;
}

export const modelsHandlers = {
  "models.status": (_input, { services }) => services.models.status(),
  "models.pickFile": async (_input, ctx) => choose(ctx, await ctx.platform.pickModelFile()),

  // The model that loaded is the one to load at the next start.
  "models.load": async ({ modelPath, gpu, gpuLayers, contextSize }, ctx) => {
    const settings = ctx.services.settings.get();
    if (!mayLoadModel(ctx, modelPath)) throw new ApiFailure("FORBIDDEN", "Models are loaded through the file picker or the download list.");
    const status = await ctx.services.models.load({
      modelPath,
      gpu: gpu ?? settings.gpu,
      gpuLayers,
      contextSize: contextSize ?? settings.contextSize,
      threads: ctx.threads,
    });
    ctx.emit("settings.changed", ctx.services.settings.set({ modelPath: status.modelPath }));
    return status;
  },

  // Unloading is a choice to run without that model, at the next start too.
  "models.unload": async (_input, ctx) => {
    await ctx.services.models.unload();
    ctx.emit("settings.changed", ctx.services.settings.set({ modelPath: null }));
    return ctx.services.models.status();
  },

  "models.catalog": (_input, { modelsDir, catalog: models }) => catalog(modelsDir, models),

  // Progress and the outcome go to every window: any of them may show the model page.
  // Catalog models and hf: URIs only: a URL from a window would have main fetch whatever it names.
  "models.download": ({ name }, ctx) => {
    resolveModelRef(name, { urls: false, catalog: ctx.catalog });
    const downloadId = ctx.downloads.start(undefined, async (signal, downloadId) => {
      const onProgress = throttle(
        (p: { downloadedBytes: number; totalBytes: number }) => ctx.emit("models.downloadProgress", { downloadId, name, ...p }),
        PROGRESS_INTERVAL_MS,
        (p) => p.downloadedBytes === p.totalBytes,
      );
      try {
        const file = await pullModel(name, { dir: ctx.modelsDir, signal, onProgress, urls: false, catalog: ctx.catalog });
        ctx.emit("models.downloadDone", { downloadId, name, path: file, error: null });
      } catch (error) {
        ctx.emit("models.downloadDone", { downloadId, name, path: null, error: toApiError(error) });
      }
    });
    return { downloadId };
  },

  "models.cancelDownload": ({ downloadId }, { downloads }) => {
    downloads.cancel(downloadId);
    return null;
  },
} satisfies Partial<Handlers>;
