import type { Page } from "playwright-core";
import type { Events } from "../../shared/api.js";
import { until, type AppHarness } from "./harness.js";

type Ending = { event: "chat.done"; payload: Events["chat.done"] } | { event: "chat.error"; payload: Events["chat.error"] };

function endings(app: AppHarness): Ending[] {
  return app.events.filter((e) => e.event === "chat.done" || e.event === "chat.error") as Ending[];
}

/** Starts a new conversation, so that the next question retrieves without the previous one. */
export async function newChat(page: Page): Promise<void> {
  await page.getByRole("button", { name: "New chat" }).click();
  await page.getByTestId("question-input").waitFor();
}

/** Types a question and sends it, as a person would. */
export async function sendQuestion(page: Page, question: string): Promise<void> {
  await page.getByTestId("question-input").fill(question);
  await page.getByTestId("send").click();
}

/** The row of the answer being generated, while there is one. */
export const streamingRow = (page: Page) => page.locator('[data-testid="message"][data-kind="stream"]');

/**
 * Asks through the UI and waits until the answer has ended and the page has put the stored answer
 * in place of the streaming one. Returns what main sent at the end.
 */
export async function ask(app: AppHarness, page: Page, question: string, timeoutMs = 60_000): Promise<Ending> {
  const before = endings(app).length;
  await sendQuestion(page, question);
  return waitForEnding(app, page, before, timeoutMs);
}

/** Waits for the stream that follows `before` endings to end, and the page to settle. */
export async function waitForEnding(app: AppHarness, page: Page, before: number, timeoutMs = 60_000): Promise<Ending> {
  await until(() => endings(app).length > before, "the answer to end", timeoutMs);
  await streamingRow(page).waitFor({ state: "detached", timeout: timeoutMs });
  return endings(app)[before]!;
}

export const endingCount = (app: AppHarness) => endings(app).length;

/**
 * Waits until main has every call the page made before now, also those its last key or click
 * started in an effect or the next frame: the page's calls reach main in the order it makes them,
 * so one made after those arrives after them. What a key did not do can then be asserted at once.
 */
export async function untilCallsArrive(page: Page): Promise<void> {
  await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))).then(() => window.sourcebook.invoke("app.info", {}))`);
}

/**
 * What an injection would leave behind: the flag its script sets, elements that run or load
 * anything, and javascript: URLs, anywhere in the app's DOM.
 */
export async function injectionTraces(page: Page): Promise<{ flag: unknown; elements: string[]; scriptUrls: number }> {
  return (await page.evaluate(`({
    flag: window.__xss,
    elements: [...document.querySelectorAll("#root img, #root script, #root iframe, #root object, #root embed, #root svg script, #root [onerror], #root [onload], #root [onclick]")].map((e) => e.outerHTML.slice(0, 120)),
    scriptUrls: document.querySelectorAll("#root [href^='javascript' i], #root [src^='javascript' i], #root [action^='javascript' i]").length,
  })`)) as { flag: unknown; elements: string[]; scriptUrls: number };
}
