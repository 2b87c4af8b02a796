import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type AppHarness } from "./harness.js";

// main's messages are English. The Russian UI names the failure in Russian first, with main's
// message after it, wherever one is shown: search, the model's status, the start-up screen.
const SETTLE = { timeout: 10_000 };

describe("main's failures in the Russian UI", { timeout: 90_000 }, () => {
  let app: AppHarness;

  beforeAll(async () => {
    // Russian by the setting; before the settings are read, by the browser's language.
    app = await start({ locale: "ru-RU", settings: { language: "ru" }, notes: { "cats.md": "# Кошки\n\nКошки спят на подоконниках.\n" }, addFolder: true });
  });
  afterAll(() => app?.close());

  it("names a search that main refuses", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("кошки ".repeat(400));
    await expect.poll(() => page.locator(".search-main .error").textContent(), SETTLE).toMatch(/^Неверные данные: Invalid input for search\.run/);
  });

  it("names a model file that is not GGUF in the model's status", async () => {
    const page = app.page;
    const file = path.join(app.dataDir, "not-a-model.gguf");
    fs.writeFileSync(file, "these are not the weights you are looking for");
    app.platform.nextModelFile = file;
    await app.call("models.pickFile", {});
    const load = await app.api.invoke("models.load", { modelPath: file }, 0);
    expect(load).toMatchObject({ ok: false, error: { code: "NOT_GGUF" } });
    await page.getByTestId("nav-model").click();
    await expect.poll(() => page.getByTestId("model-status").locator(".error p").textContent(), SETTLE).toBe(`Файл не является моделью GGUF: ${file} is not a GGUF model file.`);
  });

  it("names the failure on the start-up screen, before any setting is read", async () => {
    await app.api.close();
    const page = app.page;
    await page.reload();
    await expect.poll(() => page.locator(".startup.error").textContent(), SETTLE).toBe("Sourcebook не запустился: Внутренняя ошибка: Sourcebook is closing.");
  });
});
