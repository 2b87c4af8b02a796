import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Events } from "../../shared/api.js";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask, endingCount, newChat, sendQuestion, streamingRow, untilCallsArrive, waitForEnding } from "./actions.js";
import { eventSender } from "./bridge.js";
import { start, until, type AppHarness } from "./harness.js";

// How the chat behaves around its edges, through the scripted endpoint: a retry that fails, an
// answer streaming in one conversation while another is open, where Escape goes, where focus goes
// back to, and what survives switching views.
const NOTES = {
  "cats.md": "# Cats\n\n## Sleep\n\nCats sleep on warm window sills, sixteen hours a day.\n\n## Food\n\nCats eat fish in the morning.\n",
  "garden/tomatoes.md": "# Tomatoes\n\nTomatoes need sun and water every day.\n",
};

/**
 * Waits until the conversation has stopped moving: its rows measured and its scroll where it ends
 * up, the same over a frame, however long this machine takes to get there.
 */
async function untilStill(page: Page): Promise<void> {
  const layout = () =>
    page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
      const el = document.querySelector(".messages");
      resolve(el ? [el.scrollTop, el.scrollHeight, el.clientHeight, el.querySelectorAll('[data-testid="message"]').length].join() : "");
    })))`) as Promise<string>;
  let last = await layout();
  await expect
    .poll(async () => {
      const now = await layout();
      const still = now === last;
      last = now;
      return still;
    })
    .toBe(true);
}

const words = (n: number, word = "word") => Array.from({ length: n }, (_, i) => (i % 12 === 11 ? `${word}${i}\n\n` : `${word}${i} `));

describe("the chat's edges in the real renderer", { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  const remote = () => ({ enabled: true, baseUrl: server.url, model: "scripted", apiKey: null });
  const conversation = (title: string) => app.page.locator('[data-testid="conversation-item"] .conversation-open', { hasText: title });
  const answers = () => app.page.locator('[data-testid="message"][data-kind="answer"]');
  const hasFocus = (locator: Locator) => locator.evaluate((el) => el.ownerDocument.activeElement === el);

  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Cats sleep on sills [1]."], tokensPerSecond: 0 });
    app = await start({ notes: NOTES, addFolder: true, settings: { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } } });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("keeps the stored answer when a regenerate fails, with the error under it and Regenerate still there", async () => {
    const page = app.page;
    await ask(app, page, "Where do cats sleep?");
    await expect.poll(() => answers().count()).toBe(1);
    await app.call("settings.set", { remote: { ...remote(), baseUrl: "http://127.0.0.1:9/v1" } });
    const before = endingCount(app);
    await page.getByRole("button", { name: "Regenerate" }).click();
    await until(() => endingCount(app) > before, "the retry to fail");
    const error = page.locator(".chat-error");
    await error.waitFor();
    expect(await answers().count()).toBe(1);
    expect(await answers().first().textContent()).toContain("Cats sleep on sills");
    const regenerate = page.getByRole("button", { name: "Regenerate" });
    expect(await regenerate.isEnabled()).toBe(true);
    // Announced once, by the error itself.
    expect(await page.locator('.chat-main > [role="status"][aria-live]').textContent()).toBe("");

    await app.call("settings.set", { remote: remote() });
    server.script = { relevantDocIds: [0], tokens: ["Cats sleep in the sun [1]."], tokensPerSecond: 0 };
    await regenerate.click();
    await waitForEnding(app, page, before + 1);
    await expect.poll(() => answers().last().textContent()).toContain("Cats sleep in the sun");
    expect(await answers().count()).toBe(1);
    expect(await error.count()).toBe(0);
  });

  it("lets another conversation wait for an answer being written, without stopping it by Escape", async () => {
    const page = app.page;
    await newChat(page);
    await ask(app, page, "What do tomatoes need?");
    // An answer that does not end by itself: only a stop ends it, however slow this machine is.
    server.script = { relevantDocIds: [0], tokens: words(200), tokensPerSecond: 40, holdAfter: 100 };
    const before = endingCount(app);
    const stopsAndAsks = () => app.calls.filter((c) => c.method === "chat.cancel" || c.method === "chat.ask" || c.method === "chat.regenerate");
    await sendQuestion(page, "Tell me more about tomatoes");
    await streamingRow(page).getByTestId("answer").waitFor();
    const asked = stopsAndAsks().length;

    await conversation("cats").click();
    await expect.poll(() => page.getByTestId("composer-note").textContent()).toContain("An answer is being written in “What do tomatoes need?”");
    expect(await page.getByTestId("stop").count()).toBe(0);
    const input = page.getByTestId("question-input");
    await input.fill("And in winter?");
    expect(await page.getByTestId("send").isDisabled()).toBe(true);
    await input.press("Enter");
    await input.press("Escape");
    // Escape in the sidebar's filter clears the filter, and stops nothing either.
    const filter = page.getByLabel("Filter conversations");
    await filter.fill("zzz");
    await filter.press("Escape");
    expect(await filter.inputValue()).toBe("");
    await untilCallsArrive(page);
    expect(stopsAndAsks().slice(asked)).toEqual([]);
    expect(endingCount(app)).toBe(before);
    expect(await input.inputValue()).toBe("And in winter?");

    // Back in the conversation it belongs to, Escape stops it.
    await conversation("tomatoes").click();
    await page.getByTestId("stop").waitFor();
    // Even here, Escape in the filter is the filter's.
    await filter.fill("tom");
    await filter.press("Escape");
    await untilCallsArrive(page);
    expect(stopsAndAsks().slice(asked)).toEqual([]);
    expect(endingCount(app)).toBe(before);
    await page.getByTestId("question-input").press("Escape");
    const end = await waitForEnding(app, page, before);
    expect(end.event === "chat.done" && end.payload.result.stopped).toBe(true);
    await conversation("cats").click();
    await expect.poll(() => page.getByTestId("composer-note").textContent()).toBe("");
    expect(await page.getByTestId("send").isEnabled()).toBe(true);
    await input.fill("");
  });

  it("closes the preview with Escape in Search, and gives focus back to what opened it", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("sleep");
    const result = page.getByTestId("search-result").first();
    await result.click();
    await page.getByTestId("preview").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("preview").count()).toBe(0);
    expect(await page.getByTestId("search-input").inputValue()).toBe("sleep");
    await expect.poll(() => hasFocus(result)).toBe(true);

    await page.getByTestId("nav-chat").click();
    await conversation("cats").click();
    const card = page.getByTestId("source-card").first();
    await card.click();
    await page.getByTestId("preview").getByRole("button", { name: "Close" }).click();
    expect(await page.getByTestId("preview").count()).toBe(0);
    await expect.poll(() => hasFocus(card)).toBe(true);
  });

  it("shows a rename of the open conversation in its header", async () => {
    const page = app.page;
    await conversation("cats").click();
    const item = page.getByTestId("conversation-item").filter({ hasText: "cats" });
    await item.getByRole("button", { name: /^Rename/ }).click();
    await page.locator(".conversation-rename").fill("Sleeping cats");
    await page.locator(".conversation-rename").press("Enter");
    await expect.poll(() => page.locator(".chat-title").textContent()).toBe("Sleeping cats");
  });

  it("keeps the conversation's scroll position while another view is shown", async () => {
    const page = app.page;
    const done = app.events.find((e) => e.event === "chat.done")!.payload as Events["chat.done"];
    const id = done.conversationId;
    for (let i = 0; i < 80; i++) {
      app.services.conversations.addExchange(id, `Question ${i} about cats?`, { ...done.result, answer: "Cats nap. ".repeat(20 * (1 + (i % 4))) }, "m", {});
    }
    await newChat(page);
    await conversation("Sleeping cats").click();
    await expect.poll(() => page.getByTestId("message").count()).toBeGreaterThan(0);
    const scroller = page.locator(".messages");
    await untilStill(page);
    await scroller.evaluate((el) => {
      el.scrollTop = 4000;
    });
    await untilStill(page);
    // The row at the top edge of the conversation, by its place in the whole list.
    const topRow = () =>
      page.evaluate(`(() => {
        const box = document.querySelector(".messages").getBoundingClientRect();
        return document.elementFromPoint(box.left + box.width / 2, box.top + 5)?.closest('[data-testid="message"]')?.getAttribute("aria-posinset") ?? null;
      })()`) as Promise<string | null>;
    const before = await topRow();
    expect(before).not.toBeNull();
    // In the middle, not at the end the chat would jump to anyway.
    expect(await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(500);
    for (const view of ["settings", "library"]) {
      await page.getByTestId(`nav-${view}`).click();
      await scroller.waitFor({ state: "hidden" });
      await page.getByTestId("nav-chat").click();
      await scroller.waitFor({ state: "visible" });
      await untilStill(page);
      expect(await topRow()).toBe(before);
    }
  });

  it("closes the export menu on Escape and on a click elsewhere, and keeps its message to its conversation", async () => {
    const page = app.page;
    await conversation("Sleeping cats").click();
    const menu = page.locator(".export-menu");
    const isOpen = () => menu.evaluate((el) => el.hasAttribute("open"));
    await menu.locator("summary").click();
    expect(await isOpen()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await isOpen()).toBe(false);
    await menu.locator("summary").click();
    await page.locator(".chat-title").click();
    expect(await isOpen()).toBe(false);

    app.platform.nextSavePath = path.join(app.dataDir, "cats.md");
    await menu.locator("summary").click();
    await page.getByTestId("export-md").click();
    await page.locator(".export-saved").filter({ hasText: "Saved to" }).waitFor();
    await conversation("tomatoes").click();
    await expect.poll(() => page.locator(".chat-title").textContent()).toContain("tomatoes");
    expect(await page.locator(".export-saved").count()).toBe(0);
  });

  it("asks to delete with Cancel focused, then moves focus to the next conversation", async () => {
    const page = app.page;
    const items = page.getByTestId("conversation-item");
    const count = await items.count();
    await items.first().getByRole("button", { name: /^Delete/ }).click();
    const cancel = page.getByRole("button", { name: "Cancel" });
    await expect.poll(() => hasFocus(cancel)).toBe(true);
    await cancel.click();
    await expect.poll(() => hasFocus(items.first().getByRole("button", { name: /^Delete/ }))).toBe(true);
    await page.keyboard.press("Enter");
    await items.first().getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => items.count()).toBe(count - 1);
    await expect.poll(() => hasFocus(items.first().locator(".conversation-open"))).toBe(true);
  });

  it("speaks Russian in the model page, with plural forms and the endpoint's errors", async () => {
    const page = app.page;
    await app.call("settings.set", { language: "ru", remote: { ...remote(), baseUrl: "http://127.0.0.1:9/v1" } });
    await page.getByTestId("nav-model").click();
    // The automatic context's range with Russian thousands separators, and the GPU choice by its name in Settings.
    await expect.poll(() => page.locator(".field-help").first().textContent()).toMatch(/видеокарта: Автоматически, контекст: автоматически, 8\s192–32\s768 токенов/);
    // A fixed 8192 → "8 192 токена": the plural form of the formatted number.
    await app.call("settings.set", { contextSize: 8192 });
    await expect.poll(() => page.locator(".field-help").first().textContent()).toMatch(/контекст: 8\s192 токена/);
    try {
      await page.getByTestId("nav-chat").click();
      await page.getByRole("button", { name: "Новый чат" }).click();
      const before = endingCount(app);
      await sendQuestion(page, "Where do cats sleep?");
      await until(() => endingCount(app) > before, "the answer to fail");
      await expect.poll(() => page.locator(".chat-error").textContent()).toMatch(/Сервер не ответил: /);
    } finally {
      await app.call("settings.set", { language: "en", remote: remote(), contextSize: "auto" });
    }
    await expect.poll(() => page.getByTestId("nav-chat").textContent()).toBe("Chat");
  });

  it("says there is nothing to export yet when the menu's Export is chosen in a new chat", async () => {
    const page = app.page;
    await newChat(page);
    // What the shell sends for File › Export (Ctrl+E).
    eventSender(page)("menu.command", { command: "export" });
    await expect.poll(() => page.getByTestId("composer-note").textContent()).toContain("Nothing to export yet");
    expect(app.pageErrors).toEqual([]);
  });

  it("after a failed first answer, shows the error in a fresh chat with the question back in the box, and asks anew", async () => {
    const page = app.page;
    await newChat(page);
    const before = endingCount(app);
    const listed = async () => (await app.call("conversations.list", {})).length;
    const count = await listed();
    await app.call("settings.set", { remote: { ...remote(), baseUrl: "http://127.0.0.1:9/v1" } });
    try {
      await sendQuestion(page, "How much water do tomatoes need?");
      await until(() => endingCount(app) > before, "the answer to fail");
      await page.locator(".chat-error").waitFor();
      await expect.poll(() => page.getByTestId("question-input").inputValue()).toBe("How much water do tomatoes need?");
      // Main removed the empty conversation; the sidebar and the export menu follow.
      await expect.poll(() => conversation("How much water do tomatoes need?").count()).toBe(0);
      expect(await listed()).toBe(count);
      expect(await page.locator(".chat-header").count()).toBe(0);
    } finally {
      await app.call("settings.set", { remote: remote() });
    }
    server.script = { relevantDocIds: [0], tokens: ["Tomatoes need sun [1]."], tokensPerSecond: 0 };
    await page.getByTestId("send").click();
    await waitForEnding(app, page, before + 1);
    await expect.poll(() => answers().last().textContent()).toContain("Tomatoes need sun");
    expect(await listed()).toBe(count + 1);
    expect(app.pageErrors).toEqual([]);
  });
});
