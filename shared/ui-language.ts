// Which language the UI speaks; the renderer and the shell's native menus decide it the same way.
import type { Settings } from "./api.js";

/** "auto" follows the operating system: Russian for any ru locale, English otherwise. */
export function uiLanguage(setting: Settings["language"], osLocale: string): "en" | "ru" {
  if (setting !== "auto") return setting;
  return /^ru\b/i.test(osLocale) ? "ru" : "en";
}
