import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../shared/errors.js";
import { ROOT } from "../helpers.js";

// In the Russian UI a failure from main reads "<the code's name>: <main's English message>"; a code
// without a name would leave only the English. shared/errors.ts lists every code main can send, and
// the dictionary's type asks for a name of each; this checks the names are there and are Russian.
describe("the names of main's error codes", () => {
  it("exist in English and Russian for every one of them, and for the renderer's own NO_BRIDGE", async () => {
    // Loaded by its path, out of the typecheck's sight: the renderer's types are checked with its own DOM settings.
    const dictionary = pathToFileURL(path.join(ROOT, "renderer", "src", "i18n", "common.ts")).href;
    const { common } = (await import(dictionary)) as { common: Record<"en" | "ru", Record<string, string>> };
    for (const code of ERROR_CODES) {
      const key = `error.${code}`;
      expect(common.en[key], key).toBeTruthy();
      expect(common.ru[key], key).toMatch(/[а-яё]/i);
    }
  });
});
