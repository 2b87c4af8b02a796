import type { Dictionary } from "./index.js";

type Key = "app.name" | "nav.chat" | "nav.library" | "nav.model" | "nav.settings" | "action.cancel" | "action.save" | "action.close" | "error.generic";

export const common: Dictionary<Key> = {
  en: {
    "app.name": "Sourcebook",
    "nav.chat": "Chat",
    "nav.library": "Library",
    "nav.model": "Model",
    "nav.settings": "Settings",
    "action.cancel": "Cancel",
    "action.save": "Save",
    "action.close": "Close",
    "error.generic": "Something went wrong: {message}",
  },
  ru: {
    "app.name": "Sourcebook",
    "nav.chat": "Чат",
    "nav.library": "Библиотека",
    "nav.model": "Модель",
    "nav.settings": "Настройки",
    "action.cancel": "Отмена",
    "action.save": "Сохранить",
    "action.close": "Закрыть",
    "error.generic": "Что-то пошло не так: {message}",
  },
};
