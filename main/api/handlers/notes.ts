import { realpath } from "node:fs/promises";
import path from "node:path";
import type { FileStatus } from "../../../shared/library.js";
import { resolveWikilinks } from "../../library/wikilinks.js";
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

/**
 * A file handed to the OS (opened in its default app, shown in the file manager) must be inside its
 * folder by real path too: the index lists a link that leads out as skipped, and the OS would follow it.
 */
async function localFile(ctx: ApiContext, requested: string): Promise<string> {
  const file = libraryFile(ctx, requested);
  const [real, folder] = await Promise.all([realpath(file.path).catch(() => null), realpath(file.folder).catch(() => null)]);
  if (!real || !folder) throw new ApiFailure("NOT_FOUND", `${file.path} is not there any more.`);
  if (!isInside(real, folder)) throw new ApiFailure("FORBIDDEN", `${file.path} leads outside its folder, so Sourcebook does not open it.`);
  return file.path;
}

export const notesHandlers = {
  "notes.read": async (input, ctx) => {
    const file = libraryFile(ctx, input.path);
    if (file.status !== "indexed") throw new ApiFailure("NOT_FOUND", `${file.path} was not indexed: ${file.reason ?? file.status}.`);
    const note = await ctx.services.library.noteText(file);
    if (note.kind === "unreadable") throw new ApiFailure("NOT_FOUND", `${file.path} cannot be shown: ${note.reason}.`);
    const content = { path: file.path, title: note.title, format: file.format, markdown: note.markdown };
    if (note.pages) return { ...content, pages: note.pages };
    if (file.format !== "markdown") return content;
    return { ...content, links: resolveWikilinks(file, note.markdown, ctx.services.library.files({ folder: file.folder })) };
  },

  "notes.pageImage": async (input, ctx) => {
    const file = libraryFile(ctx, input.path);
    if (file.format !== "pdf") throw new ApiFailure("BAD_INPUT", `${file.path} is not a PDF; only a PDF's pages are drawn.`);
    if (file.status !== "indexed") throw new ApiFailure("NOT_FOUND", `${file.path} was not indexed: ${file.reason ?? file.status}.`);
    const image = await ctx.services.library.pageImage(file, input.page, input.width);
    if (image.kind === "unreadable") throw new ApiFailure("NOT_FOUND", `${file.path} cannot be drawn: ${image.reason}.`);
    const src = `data:image/png;base64,${Buffer.from(image.png).toString("base64")}`;
    return { path: file.path, page: input.page, pages: image.pages, width: image.width, height: image.height, src };
  },

  "notes.open": async (input, ctx) => {
    await ctx.platform.openPath(await localFile(ctx, input.path));
    return null;
  },

  "notes.showInFolder": async (input, ctx) => {
    ctx.platform.showItemInFolder(await localFile(ctx, input.path));
    return null;
  },
} satisfies Partial<Handlers>;
