import path from "node:path";
import type { IndexProgress } from "../../../shared/library.js";
import type { ApiContext, Handlers } from "../context.js";
import { ApiFailure } from "../errors.js";
import { throttle } from "../throttle.js";

/** Remembers a path the person picked in a native dialog (see ApiContext.chosen). */
export function choose(ctx: ApiContext, picked: string | null): string | null {
  if (picked !== null) ctx.chosen.add(path.resolve(picked));
  return picked;
}

const PROGRESS_INTERVAL_MS = 100;

/** index.progress for every window, a few times a second, with every change of phase. */
export function progressReporter(ctx: ApiContext): (progress: IndexProgress) => void {
  let phase: IndexProgress["phase"] | undefined;
  return throttle(
    (progress: IndexProgress) => ctx.emit("index.progress", progress),
    PROGRESS_INTERVAL_MS,
    (progress) => {
      const changed = progress.phase !== phase;
      phase = progress.phase;
      return changed;
    },
  );
}

export const libraryHandlers = {
  "library.folders": (_input, { services }) => services.library.folders(),

  "library.pickFolder": async (_input, ctx) => choose(ctx, await ctx.platform.pickFolder()),

  // Returns as soon as the folder is known; indexing it can take minutes and reports as events.
  "library.addFolder": async ({ path: folderPath, ignorePatterns }, ctx) => {
    const { library } = ctx.services;
    const known = library.folders().some((f) => f.path === path.resolve(folderPath));
    if (!known && !ctx.chosen.has(path.resolve(folderPath))) throw new ApiFailure("FORBIDDEN", "Folders are added through the folder picker.");
    const folder = await library.addFolder(folderPath, { ignorePatterns });
    ctx.background.start(undefined, async (signal) => {
      await library.index({ folders: [folder.path], onProgress: progressReporter(ctx), signal });
    });
    return folder;
  },

  "library.removeFolder": async ({ path }, { services }) => {
    await services.library.removeFolder(path);
    return null;
  },

  "library.configureFolder": ({ path, ignorePatterns, maxFileBytes }, ctx) =>
    ctx.services.library.configureFolder(path, { ignorePatterns, maxFileBytes }, progressReporter(ctx)),

  // Only folders already in the library: a folder named here would otherwise be added, and its notes then readable.
  "library.reindex": ({ folders }, ctx) => {
    const { library } = ctx.services;
    const known = new Set(library.folders().map((f) => f.path));
    const unknown = folders?.map((f) => path.resolve(f)).find((f) => !known.has(f));
    if (unknown !== undefined) throw new ApiFailure("FORBIDDEN", `${unknown} is not a folder of the library. Folders are added through the folder picker.`);
    return library.reindex({ folders, onProgress: progressReporter(ctx) });
  },

  "library.files": (filter, { services }) => services.library.files(filter),

  "search.query": async ({ query, limit, folder, formats, tags, mode }, { services }) =>
    (await services.library.query(query, { k: limit, filters: { folder, formats, tags }, mode })).hits,

  "search.run": ({ query, limit, folder, formats, tags, mode }, { services }) => services.library.query(query, { k: limit, filters: { folder, formats, tags }, mode }),
} satisfies Partial<Handlers>;
