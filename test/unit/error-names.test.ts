import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { ApiErrorCode } from "../../main/api/errors.js";
import type { LibraryErrorCode } from "../../main/library/errors.js";
import type { LlmErrorCode } from "../../shared/llm.js";
import { ROOT } from "../helpers.js";

// In the Russian UI a failure from main reads "<the code's name>: <main's English message>"; a code
// without a name would leave only the English. The list below must be every code main can send.
type MainCode = ApiErrorCode | LibraryErrorCode | LlmErrorCode;
const CODES = [
  "BAD_INPUT",
  "NOT_FOUND",
  "NO_MODEL",
  "UNKNOWN_METHOD",
  "FORBIDDEN",
  "CANCELLED",
  "WRITE_FAILED",
  "INTERNAL",
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
] as const satisfies readonly MainCode[];

describe("the names of main's error codes", () => {
  it("list every code main can send", () => {
    expectTypeOf<(typeof CODES)[number]>().toEqualTypeOf<MainCode>();
    expect(new Set(CODES).size).toBe(CODES.length);
  });

  it("exist in English and Russian for every one of them, and for the renderer's own NO_BRIDGE", async () => {
    // Loaded by its path, out of the typecheck's sight: the renderer's types are checked with its own DOM settings.
    const dictionary = pathToFileURL(path.join(ROOT, "renderer", "src", "i18n", "common.ts")).href;
    const { common } = (await import(dictionary)) as { common: Record<"en" | "ru", Record<string, string>> };
    for (const code of [...CODES, "NO_BRIDGE"]) {
      const key = `error.${code}`;
      expect(common.en[key], key).toBeTruthy();
      expect(common.ru[key], key).toMatch(/[а-яё]/i);
    }
  });
});
