import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask } from "./actions.js";
import { screenshot, start, type AppHarness } from "./harness.js";

const KEY = "sk-e2e-never-in-the-window";
const NOTES = { "cats.md": "# Cats\n\nCats sleep on warm window sills.\n" };

// The window is untrusted: it may ask to use an endpoint and give it a key, but it never reads the
// key back, and notes go to a new server only once the person has said yes in main's own dialog.
describe("the endpoint and its key in the real renderer", { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Warm ", "window ", "sills."], tokensPerSecond: 0 });
    app = await start({ notes: NOTES, addFolder: true });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  const fill = async (url: string, key: string) => {
    const page = app.page;
    await page.getByTestId("remote-url").fill(url);
    await page.getByTestId("remote-model").fill("scripted");
    await page.getByTestId("remote-key").fill(key);
    await page.getByTestId("remote-save").click();
  };

  it("saves nothing when the person declines the new endpoint in main's dialog", async () => {
    const page = app.page;
    await page.getByTestId("nav-model").click();
    app.platform.confirmEndpoints = false;
    await fill(server.url, KEY);
    await expect.poll(() => page.locator(".remote-form [role=alert]").textContent()).toMatch(/not confirmed/);
    expect(app.platform.confirmed).toEqual([server.url]);
    expect(app.services.settings.get().remote).toBeNull();
  });

  it("takes a key it never shows again, and answers through the endpoint with it", async () => {
    const page = app.page;
    app.platform.confirmEndpoints = true;
    await fill(server.url, KEY);
    await expect.poll(() => page.getByTestId("remote-key-state").textContent()).toMatch(/kept until Sourcebook quits/);
    expect(await page.getByTestId("remote-key").inputValue()).toBe("");
    // Nothing the window can reach holds the key: not its settings, not its page.
    const seen = (await page.evaluate(`window.sourcebook.invoke("settings.get", {}).then((r) => JSON.stringify(r))`)) as string;
    expect(seen).toContain('"hasApiKey":true');
    expect(seen).not.toContain(KEY);
    expect(await page.content()).not.toContain(KEY);
    for (const e of app.events) expect(JSON.stringify(e.payload)).not.toContain(KEY);
    await screenshot(page, "endpoint-key-set");

    await page.getByTestId("nav-chat").click();
    const end = await ask(app, page, "Where do cats sleep?");
    expect(end.event).toBe("chat.done");
    expect(server.authorizations.at(-1)).toBe(`Bearer ${KEY}`);

    await page.getByTestId("nav-model").click();
    await page.getByTestId("remote-remove-key").click();
    await expect.poll(() => app.services.settings.remoteApiKey()).toBeNull();
    expect(app.platform.confirmed).toEqual([server.url, server.url]);
  });
});
