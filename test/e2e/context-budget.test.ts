import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "./actions.js";
import { screenshot, start, type AppHarness } from "./harness.js";

// Six long Russian notes: with the tiny model's byte-level vocabulary they far exceed a 1024-token
// context, so the budget must shorten the first one and leave the others out.
const NOTES = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [
    `cats-${i}.md`,
    `# Кошки ${i}\n\n${Array.from({ length: 6 }, (_, p) => `Кошки спят на подоконниках зимой, абзац ${p}. Котята спят ещё больше.`).join("\n\n")}\n`,
  ]),
);

describe("the token budget in the real renderer", { timeout: 120_000 }, () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await start({ notes: NOTES, model: true, addFolder: true, settings: { temperature: 0, maxAnswerTokens: 32 } });
  });
  afterAll(() => app?.close());

  it("chooses the context automatically by default, and says so on the model page and in Settings", async () => {
    const page = app.page;
    // The harness loaded the model with a fixed 8192; a load with the settings' default is automatic.
    await app.call("models.load", { modelPath: app.modelPath! });
    await page.getByTestId("nav-model").click();
    await expect.poll(() => page.getByTestId("model-context").textContent()).toMatch(/8,192 tokens, chosen automatically/);
    await page.getByTestId("nav-settings").click();
    expect(await page.getByTestId("setting-contextAuto").isChecked()).toBe(true);
    expect(await page.getByTestId("setting-contextSize").isDisabled()).toBe(true);
    await page.getByTestId("setting-contextAuto").uncheck();
    await expect.poll(() => app.services.settings.get().contextSize).toBe(8192);
    await page.getByTestId("setting-contextSize").fill("1024");
    await page.getByTestId("setting-contextSize").press("Enter");
    await expect.poll(() => app.services.settings.get().contextSize).toBe(1024);
    await page.getByTestId("setting-maxAnswerTokens").waitFor();
  });

  it("shows the context used, the documents sent and those left out, and cites only what was sent", async () => {
    const page = app.page;
    await app.call("models.load", { modelPath: app.modelPath! });
    expect(app.services.models.status()).toMatchObject({ contextSize: 1024, contextMode: "fixed" });
    await page.getByTestId("nav-chat").click();
    const end = await ask(app, page, "Где спят кошки зимой?");
    if (end.event !== "chat.done") throw new Error(`The answer failed: ${JSON.stringify(end.payload)}`);
    const { result } = end.payload;
    expect(result.omitted.length).toBeGreaterThan(0);
    expect(result.candidates[0]?.shortened).toBe(true);

    const how = page.getByTestId("how-answered").last();
    await how.locator("summary").click();
    expect(await how.getByTestId("how-context").textContent()).toMatch(/of 1,024 tokens in the prompt, 32 kept for the answer \(counted by the model's tokenizer\)/);
    expect(await how.getByTestId("how-sent").locator("li").count()).toBe(result.candidates.length);
    expect(await how.getByTestId("how-sent").textContent()).toContain("shortened to fit");
    expect(await how.getByTestId("how-omitted").locator("li").count()).toBe(result.omitted.length);
    expect(await how.textContent()).toMatch(/left out: they did not fit the context/);
    await screenshot(page, "how-answered-budget");

    // The source cards are exactly the documents the model named, all among those sent.
    const sent = new Set(result.candidates.map((c) => c.chunkId));
    for (const citation of result.citations) expect(sent.has(citation.chunkId)).toBe(true);
    if (!result.refused) expect(await page.getByTestId("source-card").count()).toBe(result.citations.length);
    expect(app.pageErrors).toEqual([]);
  });
});
