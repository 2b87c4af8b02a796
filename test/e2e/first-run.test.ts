import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transcriptSchema } from "../../shared/transcript.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { ask } from "./actions.js";
import { screenshot, start, until, type AppHarness } from "./harness.js";

// The whole way through with the real tiny model on one CPU thread, at temperature 0 so that its
// (random) answer is the same every run: first run, indexing, search, a streamed answer with its
// sources and the passage, export, and everything still there after a reload and a restart.
const FILLER = Array.from({ length: 30 }, (_, i) => `Заметка ${i + 1}: история домашних животных и их хозяев.`).join("\n\n");
const NOTES = {
  "cats.md": `# Кошки\n\n${FILLER}\n\n## Сон\n\nКошки спят на подоконниках, где тепло и светло.\n\n## Еда\n\nКошки едят рыбу.\n`,
  "garden/tomatoes.md": "# Tomatoes\n\nTomatoes need sun and water every day.\n",
};
const QUESTION = "Где спят кошки?";

describe("first run to a cited answer, with the tiny model", { timeout: 120_000 }, () => {
  let app: AppHarness;
  let conversationId: number;
  beforeAll(async () => {
    app = await start({ notes: NOTES, settings: { temperature: 0 } });
  });
  afterAll(() => app?.close());

  it("walks a new person through adding a folder and loading a model", async () => {
    const page = app.page;
    await page.getByTestId("first-run").waitFor();
    app.platform.nextFolder = app.notesDir;
    await page.getByTestId("add-folder").click();
    const progress = page.getByTestId("index-progress");
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
    expect(await progress.getAttribute("aria-valuenow")).toBe("100");
    expect(await progress.getAttribute("aria-valuetext")).toMatch(/2/);
    await screenshot(page, "first-run");
    await page.getByTestId("first-run-next").click();

    app.platform.nextModelFile = writeTinyGguf(path.join(app.dataDir, "tiny.gguf"), { seed: 1 });
    await page.getByTestId("load-model").click();
    await page.getByText("tiny-vikhr-nemo-test").first().waitFor({ timeout: 60_000 });
    await page.getByTestId("first-run-next").click();
    await page.getByTestId("first-run-done").click();
    await page.getByTestId("question-input").waitFor();
    expect(app.services.models.status().state).toBe("ready");
  });

  it("searches the notes without asking the model", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("подоконник");
    await expect.poll(() => page.getByTestId("search-result").allTextContents()).toEqual([expect.stringContaining("Кошки")]);
    await page.getByTestId("nav-chat").click();
  });

  it("streams the answer, numbers its sources, and opens the preview at the passage", async () => {
    const page = app.page;
    // What the streaming row showed, every time it changed: the answer must grow in place.
    await page.evaluate(`(() => {
      window.__lengths = [];
      new MutationObserver(() => {
        const body = document.querySelector('[data-kind="stream"] [data-testid="answer"]');
        if (body) window.__lengths.push(body.textContent.length);
      }).observe(document.getElementById("root"), { subtree: true, childList: true, characterData: true });
    })()`);
    const end = await ask(app, page, QUESTION);
    if (end.event !== "chat.done") throw new Error(`The answer failed: ${JSON.stringify(end.payload)}`);
    const { result } = end.payload;
    conversationId = end.payload.conversationId;
    expect(result.refused).toBe(false);
    expect(result.citations.length).toBeGreaterThan(0);

    const deltas = app.events.filter((e) => e.event === "chat.delta" && (e.payload as { streamId: string }).streamId === end.payload.streamId);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => (e.payload as { text: string }).text).join("")).toBe(result.answer);
    const lengths = (await page.evaluate("window.__lengths")) as number[];
    expect(lengths.some((n) => n > 0 && n < result.answer.trim().length)).toBe(true);

    const answer = page.getByTestId("answer").last();
    await expect.poll(async () => (await answer.textContent())?.replace(/\s+/g, "")).toBe(result.answer.replace(/\s+/g, ""));
    const cards = page.getByTestId("source-card");
    expect(await cards.count()).toBe(result.citations.length);
    const first = result.citations[0]!;
    expect(await cards.first().textContent()).toContain(`1${first.title}`);
    expect(await cards.first().textContent()).toContain(`${first.path}:${first.lineStart}–${first.lineEnd}`);

    await cards.first().click();
    const preview = page.getByTestId("preview");
    const passage = preview.locator(".passage").first();
    await passage.waitFor();
    expect(first.text).toContain((await passage.textContent())!.trim());
    // Scrolled to it: the highlighted block is inside the pane's visible area.
    await expect
      .poll(() =>
        page.evaluate(`(() => {
          const pane = document.querySelector('[data-testid="preview"] .preview-body').getBoundingClientRect();
          const mark = document.querySelector('[data-testid="preview"] .passage').getBoundingClientRect();
          return mark.top >= pane.top && mark.bottom <= pane.bottom;
        })()`),
      )
      .toBe(true);
    // The tiny model's answer is one unbroken 1,000-character word: it must wrap, not widen the page.
    await screenshot(page, "chat-tiny-model");
    expect(await page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")).toBe(true);
    await preview.getByRole("button", { name: "Open in default app" }).click();
    expect(app.platform.opened).toEqual([first.path]);
    expect(app.pageErrors).toEqual([]);
  });

  it("exports the chat as Markdown, HTML and JSON with the citations", async () => {
    const page = app.page;
    const conversation = app.services.conversations.get(conversationId);
    const citation = conversation.messages[1]!.answer!.citations[0]!;
    const files: Record<string, string> = {};
    for (const format of ["md", "html", "json"] as const) {
      const file = path.join(app.dataDir, `export.${format}`);
      app.platform.nextSavePath = file;
      await page.locator(".export-menu summary").click();
      await page.getByTestId(`export-${format}`).click();
      await until(() => fs.existsSync(file) && fs.statSync(file).size > 0, `the ${format} export`);
      await page.getByText(`Saved to ${file}`).waitFor();
      files[format] = fs.readFileSync(file, "utf8");
    }
    expect(files.md).toContain(`# ${QUESTION.replace("?", "")}`);
    expect(files.md).toMatch(/\[\^1\]: \[.+\]\(file:\/\/.+cats\.md\)/);
    expect(files.html).toContain(citation.path);
    expect(files.html).not.toMatch(/<script/i);
    const json = transcriptSchema.parse(JSON.parse(files.json!));
    expect(json.conversation.messages[0]!.content).toBe(QUESTION);
    expect(json.conversation.messages[1]!.answer!.citations[0]).toMatchObject({ path: citation.path, lineStart: citation.lineStart, text: citation.text });
  });

  it("keeps the conversation across a reload and a restart of the services", async () => {
    const page = app.page;
    const check = async () => {
      const item = page.getByTestId("conversation-item").filter({ hasText: QUESTION });
      await item.getByRole("button").first().click();
      await page.getByTestId("source-card").first().waitFor();
      expect(await page.locator('[data-testid="message"][data-kind="question"]').allTextContents()).toEqual([QUESTION]);
    };
    await page.reload();
    await check();
    await app.restartServices();
    await check();
  });
});
