import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask } from "./actions.js";
import { start, type AppHarness } from "./harness.js";

// Two windows on the same services: what one does to the conversations shows in the other's
// sidebar by itself, through conversations.changed.
/** Long enough for a loaded machine; a sidebar that never hears the change fails all the same. */
const SETTLE = { timeout: 10_000 };

describe("two windows", { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  let second: Page;
  const titles = (page: Page) => page.locator('[data-testid="conversation-item"] .conversation-title').allTextContents();

  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Cats sleep on sills [1]."], tokensPerSecond: 0 });
    app = await start({
      notes: { "cats.md": "# Cats\n\nCats sleep on warm window sills.\n" },
      addFolder: true,
      settings: { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } },
    });
    second = await app.openPage();
    await second.getByTestId("question-input").waitFor();
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("shows a conversation asked, renamed and deleted in the first window in the second one's sidebar", async () => {
    const first = app.page;
    expect(await titles(second)).toEqual([]);

    await ask(app, first, "Where do cats sleep?");
    await expect.poll(() => titles(second), SETTLE).toEqual(["Where do cats sleep?"]);
    await expect.poll(() => second.locator(".conversation-meta").allTextContents(), SETTLE).toEqual(["2 messages"]);

    await first.getByRole("button", { name: "Rename “Where do cats sleep?”" }).click();
    await first.getByRole("textbox", { name: "New title" }).fill("Cats and sills");
    await first.keyboard.press("Enter");
    await expect.poll(() => titles(second), SETTLE).toEqual(["Cats and sills"]);

    await first.getByRole("button", { name: "Delete “Cats and sills”" }).click();
    await first.getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => titles(second), SETTLE).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
