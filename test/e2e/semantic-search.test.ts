import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddingsServer, type EmbeddingsServer } from "../fixtures/embeddings-server.js";
import { ask } from "./actions.js";
import { screenshot, start, until, type AppHarness } from "./harness.js";

// Search by meaning in the real renderer, against an embeddings endpoint whose vectors are known
// (test/fixtures/concept-embedder.ts: "kitten" and "кошки" are one concept): the Model page offers
// embedding models apart from answering ones, the Library page follows a run and stops it, Search
// says how it searched and which retriever found each result, and "How this was answered" too.
const FILLER = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`garden/note-${i}.md`, `# Garden ${i}\n\nA garden note, number ${i}.\n`]));
const NOTES = { ...FILLER, "pets.md": "# Pets\n\nA kitten sleeps all day on the sofa.\n", "printer.md": "# Printer\n\nThe printer needs new toner.\n" };
const TOTAL = 82;

describe("search by meaning in the real renderer", { timeout: 120_000 }, () => {
  let server: EmbeddingsServer;
  let app: AppHarness;
  let release: (() => void) | undefined;
  beforeAll(async () => {
    server = await embeddingsServer();
    app = await start({ notes: NOTES, model: true, addFolder: true, settings: { temperature: 0, maxAnswerTokens: 8 } });
  });
  afterAll(async () => {
    release?.();
    await app?.close();
    await server?.close();
  });

  it("offers the catalog's embedding model apart from the answering models", async () => {
    const page = app.page;
    await page.getByTestId("nav-model").click();
    const section = page.getByTestId("embedding-model-section");
    await expect.poll(() => section.getByTestId("embedding-catalog-entry").allTextContents()).toEqual([expect.stringContaining("bge-m3")]);
    expect(await page.getByTestId("catalog-entry").count()).toBeGreaterThan(0);
    for (const text of await page.getByTestId("catalog-entry").allTextContents()) expect(text).not.toContain("bge-m3");
    expect(await section.getByTestId("embedding-model").textContent()).toMatch(/No embedding model: search matches words only/);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, "model-embedding");
  });

  it("takes an endpoint the person confirmed, then shows the run on the Library page, and stops and resumes it", async () => {
    const page = app.page;
    // The fingerprint (0) and the first batch (1) are answered; the second is held.
    server.onRequest = (i) => (i === 2 ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    await page.getByText("Embeddings from a server").click();
    await page.getByTestId("embedding-url").fill(server.url);
    await page.getByTestId("embedding-name").fill("concepts");
    await page.getByTestId("embedding-endpoint-save").click();
    await expect.poll(() => page.getByTestId("embedding-model").first().textContent()).toMatch(/concepts \(7 dimensions\) at http:\/\/127\.0\.0\.1/);
    expect(app.platform.confirmed).toEqual([server.url]);
    expect(app.platform.confirmedFor).toEqual(["embeddings"]);

    await page.getByTestId("nav-library").click();
    const progress = page.getByTestId("embedding-progress");
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute("aria-valuetext")).toMatch(new RegExp(`Embedding passages: \\d+ of ${TOTAL}`));
    await screenshot(page, "embedding-progress");
    await page.getByTestId("embedding-stop").click();
    release?.();
    const coverage = page.getByTestId("embedding-coverage");
    await expect.poll(() => coverage.textContent()).toMatch(new RegExp(`Passages embedded: \\d+ of ${TOTAL}$`));
    expect(await page.getByText("Embedding stopped; what was embedded is kept.").count()).toBe(1);
    const stored = app.services.library.embeddingStatus().embedded;
    expect(stored).toBeLessThan(TOTAL);
    expect(await coverage.textContent()).toBe(`Passages embedded: ${stored} of ${TOTAL}`);

    server.onRequest = undefined;
    await page.getByTestId("embedding-start").click();
    await expect.poll(() => coverage.textContent()).toBe(`Passages embedded: ${TOTAL} of ${TOTAL}. Every passage is embedded.`);
    expect(await page.getByTestId("embedding-start").count()).toBe(0);
  });

  it("searches in the library's mode or the one chosen, saying which, and which retriever found each result", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("кошки");
    // No note holds the word: only the vectors find the kitten.
    await expect.poll(() => page.getByTestId("search-result").first().textContent()).toMatch(/Pets/);
    expect(await page.getByTestId("search-ran").textContent()).toBe("Searched by: words and meaning");
    expect(await page.getByTestId("search-result").first().getByTestId("retrievers").textContent()).toBe("meaning #1");
    expect(await page.getByTestId("search-result").count()).toBe(1);

    await page.getByTestId("search-mode").selectOption("lexical");
    await expect.poll(() => page.getByTestId("search-ran").getAttribute("data-mode")).toBe("lexical");
    expect(await page.getByTestId("search-result").count()).toBe(0);
    await page.getByTestId("search-mode").selectOption("semantic");
    await expect.poll(() => page.getByTestId("search-ran").textContent()).toBe("Searched by: meaning");
    // Semantic search lists the nearest passages, whatever they are.
    await expect.poll(() => page.getByTestId("search-result").count()).toBe(30);

    await page.getByTestId("search-mode").selectOption("auto");
    await page.getByTestId("search-input").fill("kitten sofa");
    await expect.poll(() => page.getByTestId("search-result").first().getByTestId("retrievers").textContent()).toBe("words #1 · meaning #1");
    await screenshot(page, "search-modes");
  });

  it("shows each document's retriever ranks in How this was answered", async () => {
    const page = app.page;
    await page.getByTestId("nav-chat").click();
    const end = await ask(app, page, "Where does the kitten sleep?");
    if (end.event !== "chat.done") throw new Error(`The answer failed: ${JSON.stringify(end.payload)}`);
    expect(end.payload.result.candidates[0]).toMatchObject({ title: "Pets", retrievers: { lexical: 1, semantic: 1 } });
    const how = page.getByTestId("how-answered").last();
    await how.locator("summary").click();
    expect(await how.getByTestId("how-sent").locator("li").first().textContent()).toMatch(/Pets.*words #1 · meaning #1/);
    expect(app.pageErrors).toEqual([]);
  });
});

describe("search by meaning in Russian, from the first run", { timeout: 120_000 }, () => {
  let server: EmbeddingsServer;
  let app: AppHarness;
  beforeAll(async () => {
    server = await embeddingsServer();
    app = await start({ locale: "ru-RU", settings: { language: "ru" }, notes: { "pets.md": "# Питомцы\n\nКотёнок спит весь день. A kitten.\n", "printer.md": "# Принтер\n\nПринтеру нужен тонер.\n" } });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("suggests the embedding model on the first run's model step", async () => {
    const page = app.page;
    await page.getByTestId("first-run").waitFor();
    app.platform.nextFolder = app.notesDir;
    await page.getByTestId("add-folder").click();
    await expect.poll(() => page.getByTestId("index-progress").getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
    await page.getByTestId("first-run-next").click();
    const suggestion = page.getByTestId("first-run-embedding");
    expect(await suggestion.locator("summary").textContent()).toBe("Поиск по смыслу (необязательно)");
    await expect.poll(() => suggestion.getByTestId("embedding-catalog-entry").allTextContents()).toEqual([expect.stringContaining("bge-m3")]);
    expect(await suggestion.getByTestId("download-model").textContent()).toBe("Скачать");
    await screenshot(page, "first-run-embedding");
    await page.getByTestId("first-run-next").click();
    await page.getByTestId("first-run-done").click();
  });

  it("says the model, the coverage, the mode and the retrievers in Russian", async () => {
    const page = app.page;
    await app.call("embeddings.useEndpoint", { baseUrl: server.url, model: "concepts" });
    await until(() => app.services.library.embeddingStatus().embedded === 2, "the passages to be embedded");
    await page.getByTestId("nav-library").click();
    await expect.poll(() => page.getByTestId("embedding-coverage").textContent()).toBe("Векторизовано фрагментов: 2 из 2. Все фрагменты векторизованы.");
    expect(await page.getByTestId("embedding-model").textContent()).toMatch(/Модель векторизации: concepts \(7 измерений\) на http/);
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("кошки");
    await expect.poll(() => page.getByTestId("search-ran").textContent()).toBe("Искали: по словам и смыслу");
    expect(await page.getByTestId("search-result").first().getByTestId("retrievers").textContent()).toBe("по смыслу №1");
    expect(await page.getByTestId("search-mode").locator("option").allTextContents()).toEqual(["Автоматически", "По словам", "По смыслу", "По словам и смыслу"]);
    expect(app.pageErrors).toEqual([]);
  });
});
