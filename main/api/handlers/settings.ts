import type { Handlers } from "../context.js";

export const settingsHandlers = {
  "settings.get": (_input, { services }) => services.settings.get(),
  "settings.set": (patch, ctx) => {
    const stored = ctx.services.settings.set(patch);
    ctx.emit("settings.changed", stored);
    return stored;
  },
} satisfies Partial<Handlers>;
