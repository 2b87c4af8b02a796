import fs from "node:fs";
import type { Events } from "../../../shared/api.js";
import { renderTranscript, importTranscript } from "../../chat/transcript.js";
import type { ApiContext, Handlers } from "../context.js";
import { ApiFailure } from "../errors.js";
import { saveFile } from "../save-file.js";

/** Far above any real conversation; a bigger file is not a transcript, and reading it would stall main. */
const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

/** The title as a file name the save dialog can offer on every OS. */
function fileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what file names cannot hold
  const clean = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  return clean.slice(0, 100) || "conversation";
}

/** Tells every window, the one that made the change included, so that each lists the conversations again. */
export function conversationsChanged(ctx: ApiContext, conversationId: number, change: Events["conversations.changed"]["change"]): void {
  ctx.emit("conversations.changed", { conversationId, change });
}

export const conversationsHandlers = {
  "conversations.list": ({ filter }, { services }) => services.conversations.list(filter),
  "conversations.get": ({ id }, { services }) => services.conversations.get(id),
  "conversations.rename": ({ id, title }, ctx) => {
    const summary = ctx.services.conversations.rename(id, title);
    conversationsChanged(ctx, id, "renamed");
    return summary;
  },
  "conversations.delete": ({ id }, ctx) => {
    ctx.services.conversations.delete(id);
    conversationsChanged(ctx, id, "deleted");
    return null;
  },

  "conversations.export": async ({ id, format }, { services, platform }) => {
    const conversation = services.conversations.get(id);
    const target = await platform.saveFile(`${fileName(conversation.title)}.${format}`, format);
    if (target === null) return null;
    saveFile(target, renderTranscript(conversation, format));
    return target;
  },

  "conversations.import": async (_input, ctx) => {
    const source = await ctx.platform.pickTranscriptFile();
    if (source === null) return null;
    let json: string;
    try {
      if (fs.statSync(source).size > MAX_TRANSCRIPT_BYTES) throw new Error("the file is too large to be a transcript");
      json = fs.readFileSync(source, "utf8");
    } catch (error) {
      throw new ApiFailure("BAD_INPUT", `${source} cannot be imported: ${(error as Error).message}`);
    }
    const imported = importTranscript(ctx.services.conversations, json);
    conversationsChanged(ctx, imported.id, "created");
    return imported;
  },
} satisfies Partial<Handlers>;
