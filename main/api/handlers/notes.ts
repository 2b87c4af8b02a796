import fs from "node:fs";
import path from "node:path";
import type { FileStatus } from "../../../shared/library.js";
import { decodeText } from "../../library/ingest/decode.js";
import { documentText } from "../../library/ingest/parse.js";
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
  "notes.read": (input, ctx) => {
    const file = libraryFile(ctx, input.path);
    if (file.status !== "indexed") throw new ApiFailure("NOT_FOUND", `${file.path} was not indexed: ${file.reason ?? file.status}.`);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file.path);
    } catch (error) {
      throw new ApiFailure("NOT_FOUND", `${file.path} cannot be read: ${(error as Error).message}`);
    }
    const decoded = decodeText(bytes);
    if (decoded.kind === "binary") throw new ApiFailure("NOT_FOUND", `${file.path} no longer holds text.`);
    // The same text the chunks were cut from. Front matter becomes blank lines, so it is not
    // shown, yet line N here is still line N of the chunks' lineStart/lineEnd.
    const { title, body, firstLine } = documentText(decoded.text, file.path, file.format);
    return { path: file.path, title, format: file.format, markdown: "\n".repeat(firstLine - 1) + body };
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
