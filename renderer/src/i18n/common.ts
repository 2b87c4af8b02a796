import type { Dictionary } from "./index.js";

type Key =
  | "nav.chat"
  | "nav.library"
  | "nav.model"
  | "nav.settings"
  | "action.cancel"
  | "action.close"
  | "error.NO_MODEL"
  | "error.NOT_FOUND"
  | "error.FORBIDDEN"
  | "error.BAD_INPUT"
  | "error.REMOTE_FAILED"
  | "error.DOWNLOAD_FAILED"
  | "error.MODEL_NOT_FOUND"
  | "error.LOAD_FAILED"
  | "error.FOLDER_OVERLAPS"
  | "error.FOLDER_NOT_FOUND"
  | "error.CONTEXT_TOO_SMALL"
  | "error.CANCELLED"
  | "error.INTERNAL";

// main's error messages are written in English. In English they are shown as they are; in another
// language the code's name for the problem comes first, and main's message follows as the detail.
export const common: Dictionary<Key> = {
  en: {
    "nav.chat": "Chat",
    "nav.library": "Library",
    "nav.model": "Model",
    "nav.settings": "Settings",
    "action.cancel": "Cancel",
    "action.close": "Close",
    "error.NO_MODEL": "No model is loaded",
    "error.NOT_FOUND": "Not found",
    "error.FORBIDDEN": "Not allowed",
    "error.BAD_INPUT": "Invalid input",
    "error.REMOTE_FAILED": "The endpoint did not answer",
    "error.DOWNLOAD_FAILED": "The download failed",
    "error.MODEL_NOT_FOUND": "The model file was not found",
    "error.LOAD_FAILED": "The model could not be loaded",
    "error.FOLDER_OVERLAPS": "The folder overlaps one already in the library",
    "error.FOLDER_NOT_FOUND": "The folder was not found",
    "error.CONTEXT_TOO_SMALL": "The model's context is too small for this question",
    "error.CANCELLED": "Not confirmed",
    "error.INTERNAL": "Internal error",
  },
  ru: {
    "nav.chat": "Чат",
    "nav.library": "Библиотека",
    "nav.model": "Модель",
    "nav.settings": "Настройки",
    "action.cancel": "Отмена",
    "action.close": "Закрыть",
    "error.NO_MODEL": "Модель не загружена",
    "error.NOT_FOUND": "Не найдено",
    "error.FORBIDDEN": "Доступ запрещён",
    "error.BAD_INPUT": "Неверные данные",
    "error.REMOTE_FAILED": "Сервер не ответил",
    "error.DOWNLOAD_FAILED": "Загрузка не удалась",
    "error.MODEL_NOT_FOUND": "Файл модели не найден",
    "error.LOAD_FAILED": "Не удалось загрузить модель",
    "error.FOLDER_OVERLAPS": "Папка пересекается с уже добавленной",
    "error.FOLDER_NOT_FOUND": "Папка не найдена",
    "error.CONTEXT_TOO_SMALL": "Контекст модели слишком мал для этого вопроса",
    "error.CANCELLED": "Не подтверждено",
    "error.INTERNAL": "Внутренняя ошибка",
  },
};
