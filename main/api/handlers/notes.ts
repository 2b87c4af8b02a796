import path from "node:path";
import type { FileStatus } from "../../../shared/library.js";
import { isInside } from "../../path-inside.js";
import type { ApiContext, Handlers } from "../context.js";
import { ApiFailure } from "../errors.js";

/**
 * The renderer shows untrusted notes and model output, so a path it sends is only ever used when
 * the index knows that exact file: never a path outside the library folders, nor an ignored file.
 */
function libraryFile(ctx: ApiContext, requested: string): FileStatus {
  const resolved = path.resolve(requested);
  const file = ctx.services.library.file(resolved);
  if (file) return file;
  const inFolder = ctx.services.library.folders().some((f) => isInside(resolved, f.path));
  if (inFolder) throw new ApiFailure("NOT_FOUND", `${resolved} is not in the library's index.`);
  throw new ApiFailure("FORBIDDEN", `${resolved} is not inside a library folder.`);
}

export const notesHandlers = {
  "notes.read": async (input, ctx) => {
    const file = libraryFile(ctx, input.path);
    if (file.status !== "indexed") throw new ApiFailure("NOT_FOUND", `${file.path} was not indexed: ${file.reason ?? file.status}.`);
    const note = await ctx.services.library.noteText(file);
    if (note.kind === "unreadable") throw new ApiFailure("NOT_FOUND", `${file.path} cannot be shown: ${note.reason}.`);
    return { path: file.path, title: note.title, format: file.format, markdown: note.markdown };
  },

  "notes.open": async (input, ctx) => {
    await ctx.platform.openPath(libraryFile(ctx, input.path).path);
    return null;
  },

  "notes.showInFolder": (input, ctx) => {
    ctx.platform.showItemInFolder(libraryFile(ctx, input.path).path);
    return null;
  },
} satisfies Partial<Handlers>;
