import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask } from "./actions.js";
import { start, type AppHarness } from "./harness.js";

// A right-to-left override in a file name makes "rtl\u202Egnp.exe.md" read as "rtldm.exe.png".
// Wherever the UI shows a name or path from the library, the control shows as its escape.
const NAME = "rtl\u202Egnp.exe.md";
const SHOWN = "rtl\\u202Egnp.exe";

describe("invisible characters in file names", { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  const rootText = () => app.page.locator("#root").innerText();

  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Invoices are due on Friday [1]."], tokensPerSecond: 0 });
    app = await start({
      notes: { [NAME]: "Invoices are due on Friday.\n", "zero\u200Bwidth\u2066.md": "Receipts are kept for a year.\n" },
      addFolder: true,
      settings: { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("shows them escaped in the file table and the folder card", async () => {
    const page = app.page;
    await page.getByTestId("nav-library").click();
    const rows = page.getByTestId("file-row");
    await expect.poll(() => rows.count()).toBe(2);
    const names = await rows.locator(".file-path").allTextContents();
    expect(names.sort()).toEqual([`${SHOWN}.md`, "zero\\u200Bwidth\\u2066.md"]);
    expect(await rows.filter({ hasText: SHOWN }).locator(".file-title").textContent()).toBe(SHOWN);
    expect(await rows.filter({ hasText: SHOWN }).locator(".file-cell").getAttribute("title")).toBe(`${app.notesDir}/${SHOWN}.md`);
    expect(await page.getByTestId("folder").locator(".folder-path").textContent()).toBe(app.notesDir);
    expect(await rootText()).not.toMatch(/[\u202E\u200B\u2066]/);
  });

  it("shows them escaped in search results, the preview, source cards and How this was answered", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("invoices");
    const hit = page.getByTestId("search-result").first();
    await expect.poll(() => hit.locator(".search-result-title").textContent()).toBe(SHOWN);
    expect(await hit.locator(".search-result-path").textContent()).toMatch(new RegExp(`/${SHOWN.replace(/\\/g, "\\\\")}\\.md:1–1$`));
    expect(await hit.getAttribute("aria-label")).toContain(SHOWN);
    await hit.click();
    const preview = page.getByTestId("preview");
    await expect.poll(() => preview.locator("h2").textContent()).toBe(SHOWN);
    expect(await preview.getByTestId("preview-path").textContent()).toBe(`${app.notesDir}/${SHOWN}.md:1–1`);
    expect(await rootText()).not.toMatch(/[\u202E\u200B\u2066]/);

    await page.getByTestId("nav-chat").click();
    await ask(app, page, "When are invoices due?");
    const card = page.getByTestId("source-card").first();
    await card.waitFor();
    expect(await card.locator(".source-title").textContent()).toBe(SHOWN);
    expect(await card.locator(".source-path").textContent()).toBe(`${app.notesDir}/${SHOWN}.md:1–1`);
    expect(await card.getAttribute("aria-label")).toContain(SHOWN);
    const how = page.locator(".how-answered").last();
    await how.locator("summary").click();
    expect(await how.locator(".how-docs").textContent()).toContain(`${SHOWN}.md`);
    expect(await rootText()).not.toMatch(/[\u202E\u200B\u2066]/);
    expect(app.pageErrors).toEqual([]);
  });
});
