import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask, endingCount, injectionTraces, newChat, sendQuestion, streamingRow, waitForEnding } from "./actions.js";
import { screenshot, start, until, type AppHarness } from "./harness.js";

// Answers come from a scripted OpenAI-compatible endpoint through the real remote backend, so that
// a test decides what the "model" says: a refusal, a long answer to stop, hostile HTML.
const HOSTILE = [
  "# Hostile note",
  "",
  "Pelicans swallow fish whole. <img src=x onerror=window.__xss=1>",
  "",
  "<script>window.__xss=2</script>",
  "",
  '<iframe src="javascript:window.__xss=3"></iframe>',
  "",
  "A [pelican link](javascript:window.__xss=4) and <a href=\"javascript:window.__xss=5\">a raw one</a>.",
  "",
].join("\n");

const NOTES = {
  "cats.md": "# Cats\n\n## Sleep\n\nCats sleep on warm window sills, sixteen hours a day.\n\n## Food\n\nCats eat fish in the morning.\n",
  "garden/tomatoes.md": "# Tomatoes\n\nTomatoes need sun and water every day.\n",
  "birds/pelicans.md": HOSTILE,
};

const words = (text: string) => text.split(/(?<= )/);

describe("answers, refusals and untrusted text in the real renderer", { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: [], tokensPerSecond: 0 });
    app = await start({
      notes: NOTES,
      addFolder: true,
      settings: { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("shows an answer with numbered sources, and the cited passage in the preview", async () => {
    server.script = {
      relevantDocIds: [0],
      tokens: words("Cats sleep on **warm window sills** for up to sixteen hours a day [1].\n\n- sunny places\n- quiet rooms"),
      tokensPerSecond: 0,
    };
    const page = app.page;
    const end = await ask(app, page, "Where do cats sleep?");
    expect(end.event).toBe("chat.done");
    await expect.poll(() => page.getByTestId("answer").last().textContent()).toContain("warm window sills");
    expect(await page.locator('[data-testid="answer"] strong').last().textContent()).toBe("warm window sills");
    const cards = page.getByTestId("source-card");
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().textContent()).toMatch(/^1\s*Cats/);
    await cards.first().click();
    const passage = page.getByTestId("preview").locator(".passage");
    await passage.first().waitFor();
    expect((await passage.allTextContents()).join(" ")).toContain("window sills");
    await screenshot(page, "chat-with-sources");
    expect(app.pageErrors).toEqual([]);
  });

  it("refuses clearly, lists the closest matches as not used, and offers a search", async () => {
    server.script = { relevantDocIds: [], tokens: [], tokensPerSecond: 0 };
    const page = app.page;
    await newChat(page);
    const end = await ask(app, page, "What do tomatoes need?");
    expect(end.event === "chat.done" && end.payload.result.refused).toBe(true);
    const refusal = page.getByTestId("refusal").last();
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("Not in your notes");
    const matches = refusal.getByTestId("source-card");
    expect(await matches.count()).toBeGreaterThan(0);
    expect(await matches.first().textContent()).toContain("not used");
    expect(await matches.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("Tomatoes")]));
    // It looks different from an answer: no answer body in it.
    expect(await refusal.getByTestId("answer").count()).toBe(0);
    await screenshot(page, "refusal");
    await refusal.getByRole("button", { name: "Search instead" }).click();
    await expect.poll(() => page.getByTestId("search-input").inputValue()).toBe("What do tomatoes need?");
    await expect.poll(() => page.getByTestId("search-result").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("Tomatoes")]));
    await page.getByTestId("nav-chat").click();
  });

  it("stops mid-answer and keeps the partial answer, marked as stopped", async () => {
    const tokens = words("Cats sleep ".repeat(200));
    // Half the answer, then the "model" waits: the stop lands part-way however late it comes.
    server.script = { relevantDocIds: [0], tokens, tokensPerSecond: 40, holdAfter: tokens.length / 2 };
    const page = app.page;
    await newChat(page);
    const before = endingCount(app);
    await sendQuestion(page, "Where do cats sleep all day?");
    await streamingRow(page).getByTestId("answer").filter({ hasText: "Cats sleep" }).waitFor();
    await page.getByTestId("stop").click();
    const end = await waitForEnding(app, page, before);
    expect(end.event).toBe("chat.done");
    if (end.event !== "chat.done") return;
    expect(end.payload.result.stopped).toBe(true);
    const partial = end.payload.result.answer;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(tokens.join("").length);
    expect(server.streamed).toBeLessThan(tokens.length + 100);
    const last = page.getByTestId("message").last();
    await expect.poll(() => last.textContent()).toContain("Stopped before the end.");
    expect((await last.getByTestId("answer").textContent())!.trim()).toBe(partial.trim());
    const stored = app.services.conversations.get(end.payload.conversationId).messages.at(-1)!;
    expect(stored.answer).toMatchObject({ stopped: true });
    expect(stored.content).toBe(partial);
  });

  it("never runs HTML or scripts from notes or from the model", async () => {
    server.script = {
      relevantDocIds: [0],
      tokens: [
        "Pelicans ",
        "<img src=x onerror=window.__xss=5>",
        " swallow <script>window.__xss=6</script>",
        ' fish <iframe src="javascript:window.__xss=7"></iframe>',
        " [see](javascript:window.__xss=8) <a href=\"javascript:window.__xss=9\">here</a>",
        " <svg onload=window.__xss=10></svg> ![pic](x)",
      ],
      tokensPerSecond: 0,
    };
    const page = app.page;
    await newChat(page);
    const end = await ask(app, page, "What do pelicans swallow?");
    expect(end.event).toBe("chat.done");
    await expect.poll(() => page.getByTestId("answer").last().textContent()).toContain("Pelicans");
    // The hostile note itself, in search and in the preview.
    await page.getByTestId("source-card").last().click();
    await page.getByTestId("preview").getByText("Pelicans swallow fish whole.").waitFor();
    const links = page.getByTestId("preview").getByText("pelican link");
    await links.click();
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("pelicans");
    await page.getByTestId("search-result").first().waitFor();
    await page.getByTestId("nav-chat").click();
    expect(await injectionTraces(page)).toEqual({ flag: undefined, elements: [], scriptUrls: 0 });
    expect(app.platform.external).toEqual([]);
    // The probe itself sees an injected element and a javascript: URL, so its silence above means something.
    await page.evaluate(`document.getElementById("root").insertAdjacentHTML("beforeend", '<span id="probe"><img src="data:,"><a href="javascript:void 0">x</a></span>')`);
    expect(await injectionTraces(page)).toMatchObject({ elements: [expect.stringContaining("<img")], scriptUrls: 1 });
    await page.evaluate(`document.getElementById("probe").remove()`);
  });

  it("switches the UI to Russian", async () => {
    const page = app.page;
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("language-select").selectOption("ru");
    await expect.poll(() => page.getByTestId("nav-chat").textContent()).toBe("Чат");
    expect(await page.getByTestId("nav-library").textContent()).toBe("Библиотека");
    expect(await page.evaluate("document.documentElement.lang")).toBe("ru");
    await screenshot(page, "settings-ru");
    await page.getByTestId("language-select").selectOption("en");
    await expect.poll(() => page.getByTestId("nav-chat").textContent()).toBe("Chat");
    await screenshot(page, "settings");
  });

  it("follows the dark theme", async () => {
    const page = app.page;
    await page.getByTestId("theme-select").selectOption("dark");
    const background = () => page.evaluate("getComputedStyle(document.body).backgroundColor") as Promise<string>;
    await expect.poll(async () => luminance(await background())).toBeLessThan(0.3);
    await page.getByTestId("nav-chat").click();
    await screenshot(page, "chat-dark");
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("theme-select").selectOption("light");
    await expect.poll(async () => luminance(await background())).toBeGreaterThan(0.7);
  });

  it("finds a note edited on disk, through the watcher", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("radiator");
    await expect.poll(() => page.locator(".search-status").textContent()).toContain("Nothing in your notes matches");
    expect(await page.getByTestId("search-result").count()).toBe(0);
    fs.writeFileSync(path.join(app.notesDir, "cats.md"), `${NOTES["cats.md"]}\n## Winter\n\nIn winter cats curl up next to the radiator.\n`);
    // The watcher tells every window what changed, and the open search asks again by itself.
    await until(() => app.events.some((e) => e.event === "library.changed" && JSON.stringify(e.payload).includes("cats.md")), "the watcher to report the edit");
    await expect.poll(() => page.getByTestId("search-result").allTextContents()).toEqual([expect.stringContaining("radiator")]);
  });

  it("shows the library and model screens", async () => {
    const page = app.page;
    await page.getByTestId("nav-library").click();
    await expect.poll(() => page.getByTestId("file-row").count()).toBe(3);
    await screenshot(page, "library");
    await page.getByTestId("nav-model").click();
    await page.getByTestId("model-status").waitFor();
    await screenshot(page, "model");
    expect(app.pageErrors).toEqual([]);
  });
});

/** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).map(Number);
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
}
