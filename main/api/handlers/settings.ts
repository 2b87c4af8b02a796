import type { Handlers } from "../context.js";

export const settingsHandlers = {
  "settings.get": (_input, { settings }) => settings.get(),
  "settings.set": (patch, { settings }) => settings.set(patch),
} satisfies Partial<Handlers>;
