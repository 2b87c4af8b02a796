import type { ErrorCode } from "../../../shared/errors.js";
import type { Dictionary } from "./index.js";

type Key =
  | `error.${ErrorCode}`
  | "nav.chat"
  | "nav.library"
  | "nav.model"
  | "nav.settings"
  | "action.cancel"
  | "action.close";

// main's error messages are written in English. In English they are shown as they are; in another
// language the code's name for the problem comes first, and main's message follows as the detail.
// Every code main can send has a name here (test/unit/error-names.test.ts), and so does the
// renderer's own NO_BRIDGE.
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
    "error.NO_EMBEDDING_MODEL": "The library has no embedding model",
    "error.EMBEDDING_MISMATCH": "The embedding model does not match the library's vectors",
    "error.FOLDER_OVERLAPS": "The folder overlaps one already in the library",
    "error.FOLDER_NOT_FOUND": "The folder was not found",
    "error.CONTEXT_TOO_SMALL": "The model's context is too small for this question",
    "error.CANCELLED": "Not confirmed",
    "error.NOT_GGUF": "The file is not a GGUF model",
    "error.UNSUPPORTED_ARCHITECTURE": "The model's architecture is not supported",
    "error.OUT_OF_MEMORY": "Not enough memory for the model",
    "error.BACKEND_UNAVAILABLE": "The chosen GPU backend is not available",
    "error.NO_TEMPLATE": "The model has no chat template",
    "error.DOWNLOAD_CANCELLED": "The download was cancelled",
    "error.DB_NEWER": "The library was made by a newer Sourcebook",
    "error.DB_NOT_LIBRARY": "The file is not a Sourcebook library",
    "error.DB_CORRUPT": "The library is damaged",
    "error.DB_BUSY": "The library is locked by another program",
    "error.DB_READONLY": "The library cannot be written",
    "error.DB_OPEN_FAILED": "The library could not be opened",
    "error.DB_MISSING": "There is no library yet",
    "error.FOLDER_UNKNOWN": "The folder is not in the library",
    "error.UNKNOWN_METHOD": "Unknown request",
    "error.WRITE_FAILED": "The file could not be written",
    "error.NO_BRIDGE": "Not connected to Sourcebook's main process",
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
    "error.NO_EMBEDDING_MODEL": "У библиотеки нет модели эмбеддингов",
    "error.EMBEDDING_MISMATCH": "Модель эмбеддингов не совпадает с векторами библиотеки",
    "error.FOLDER_OVERLAPS": "Папка пересекается с уже добавленной",
    "error.FOLDER_NOT_FOUND": "Папка не найдена",
    "error.CONTEXT_TOO_SMALL": "Контекст модели слишком мал для этого вопроса",
    "error.CANCELLED": "Не подтверждено",
    "error.NOT_GGUF": "Файл не является моделью GGUF",
    "error.UNSUPPORTED_ARCHITECTURE": "Архитектура модели не поддерживается",
    "error.OUT_OF_MEMORY": "Не хватает памяти для модели",
    "error.BACKEND_UNAVAILABLE": "Выбранный бэкенд видеокарты недоступен",
    "error.NO_TEMPLATE": "В модели нет шаблона чата",
    "error.DOWNLOAD_CANCELLED": "Загрузка отменена",
    "error.DB_NEWER": "Библиотека создана более новой версией Sourcebook",
    "error.DB_NOT_LIBRARY": "Файл не является библиотекой Sourcebook",
    "error.DB_CORRUPT": "Библиотека повреждена",
    "error.DB_BUSY": "Библиотека занята другой программой",
    "error.DB_READONLY": "Библиотеку нельзя изменить",
    "error.DB_OPEN_FAILED": "Не удалось открыть библиотеку",
    "error.DB_MISSING": "Библиотеки ещё нет",
    "error.FOLDER_UNKNOWN": "Этой папки нет в библиотеке",
    "error.UNKNOWN_METHOD": "Неизвестный запрос",
    "error.WRITE_FAILED": "Не удалось записать файл",
    "error.NO_BRIDGE": "Нет связи с основным процессом Sourcebook",
    "error.INTERNAL": "Внутренняя ошибка",
  },
};
