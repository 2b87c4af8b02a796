// The native menu's own labels in the UI's two languages (Electron translates its standard roles
// itself). Free of electron, so the choice of language is tested without it.
import type { Settings } from "../../shared/api.js";
import { uiLanguage } from "../../shared/ui-language.js";

const LABELS = {
  en: {
    file: "&File",
    view: "&View",
    settings: "Settings",
    settingsMac: "Settings…",
    newChat: "New Chat",
    exportChat: "Export Chat…",
    library: "Library",
    model: "Model",
    searchNotes: "Search Notes",
    askQuestion: "Ask a Question",
    stop: "Stop Answer",
  },
  ru: {
    file: "&Файл",
    view: "&Вид",
    settings: "Настройки",
    settingsMac: "Настройки…",
    newChat: "Новый чат",
    exportChat: "Экспорт чата…",
    library: "Библиотека",
    model: "Модель",
    searchNotes: "Поиск по заметкам",
    askQuestion: "Задать вопрос",
    stop: "Остановить ответ",
  },
} as const;

export type MenuLabels = (typeof LABELS)[keyof typeof LABELS];

/** The labels for the UI's language, chosen as the renderer chooses it. */
export function menuLabels(language: Settings["language"], osLocale: string): MenuLabels {
  return LABELS[uiLanguage(language, osLocale)];
}
