// Every error code main can send a window, by the part of main that raises it. The renderer names
// each one in every language (renderer/src/i18n/common.ts is typed by this list), so a code added
// here without its names does not compile.

export const LIBRARY_ERROR_CODES = [
  "DB_NEWER",
  "DB_NOT_LIBRARY",
  "DB_CORRUPT",
  "DB_BUSY",
  "DB_READONLY",
  "DB_OPEN_FAILED",
  "DB_MISSING",
  "FOLDER_NOT_FOUND",
  "FOLDER_OVERLAPS",
  "FOLDER_UNKNOWN",
  "NOT_FOUND",
  "BAD_INPUT",
] as const;
export type LibraryErrorCode = (typeof LIBRARY_ERROR_CODES)[number];

export const LLM_ERROR_CODES = [
  "MODEL_NOT_FOUND",
  "NOT_GGUF",
  "UNSUPPORTED_ARCHITECTURE",
  "OUT_OF_MEMORY",
  "BACKEND_UNAVAILABLE",
  "LOAD_FAILED",
  "NO_TEMPLATE",
  "CONTEXT_TOO_SMALL",
  "REMOTE_FAILED",
  "DOWNLOAD_FAILED",
  "DOWNLOAD_CANCELLED",
  "NO_MODEL",
  "NO_EMBEDDING_MODEL",
  "EMBEDDING_MISMATCH",
] as const;
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

/** The API layer's own: the envelope, the window rules, and bugs. */
export const API_ERROR_CODES = ["BAD_INPUT", "NOT_FOUND", "NO_MODEL", "UNKNOWN_METHOD", "FORBIDDEN", "CANCELLED", "WRITE_FAILED", "INTERNAL"] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The renderer's own, for when main cannot be reached at all. */
export const RENDERER_ERROR_CODES = ["NO_BRIDGE"] as const;

export const ERROR_CODES = [...new Set([...LIBRARY_ERROR_CODES, ...LLM_ERROR_CODES, ...API_ERROR_CODES, ...RENDERER_ERROR_CODES])];
export type ErrorCode = LibraryErrorCode | LlmErrorCode | ApiErrorCode | (typeof RENDERER_ERROR_CODES)[number];
