import type { Settings } from "../../../shared/api.js";
import type { Language } from "../i18n/index.js";

/** "auto" follows the operating system: Russian for any ru locale, English otherwise. */
export function uiLanguage(setting: Settings["language"], osLanguage: string): Language {
  if (setting !== "auto") return setting;
  return /^ru\b/i.test(osLanguage) ? "ru" : "en";
}
