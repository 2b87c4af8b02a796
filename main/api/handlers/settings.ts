import type { Handlers } from "../context.js";
import { ApiFailure } from "../errors.js";
import { sameEndpoint } from "../../settings/store.js";
import { mayLoadModel } from "./models.js";

export const settingsHandlers = {
  "settings.get": (_input, { services }) => services.settings.get(),

  /**
   * A window shows untrusted notes and model output, so it cannot by itself choose where notes go
   * or what native code loads: answering through an endpoint not in use before is confirmed by
   * the person in main's own dialog, and the model to load at start follows models.load's rule.
   */
  "settings.set": async (patch, ctx) => {
    const current = ctx.services.settings.get();
    if (patch.modelPath && !mayLoadModel(ctx, patch.modelPath)) throw new ApiFailure("FORBIDDEN", "Models are chosen through the file picker or the download list.");
    const next = patch.remote;
    if (next?.enabled && !(current.remote?.enabled && sameEndpoint(current.remote.baseUrl, next.baseUrl))) {
      if (!(await ctx.platform.confirmEndpoint(next.baseUrl))) {
        throw new ApiFailure("CANCELLED", `Answers were not switched to ${next.baseUrl}: the change was not confirmed.`);
      }
    }
    const stored = ctx.services.settings.set(patch);
    ctx.emit("settings.changed", stored);
    return stored;
  },
} satisfies Partial<Handlers>;
