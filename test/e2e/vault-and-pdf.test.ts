import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printPdfs } from "../fixtures/documents.js";
import { screenshot, start, type AppHarness } from "./harness.js";

// An Obsidian vault and a PDF in the desktop UI: the preview renders Obsidian's Markdown and follows
// wikilinks; a PDF source says its page, and the preview shows that page with the passage marked;
// search filters by format and by tag, and so does the library's file table.
const FILLER = Array.from({ length: 60 }, (_, i) => `Filler paragraph ${i} about the sea in general.`).join("\n\n");
const VAULT = {
  "Harbour.md": [
    "---",
    "tags: [places]",
    "---",
    "# Harbour",
    "",
    "The harbour is guarded; see [[Lighthouse#Lamp room|the lamp]] and [[Missing note]].",
    "",
    "![[Tides]]",
    "",
    "%% a private comment about zyxsecret %%",
    "A line with ==bright highlight== text. ^harbour-1",
    "",
    "> [!warning] Rocks ahead",
    "> Keep to the buoys at low water.",
    "",
  ].join("\n"),
  "Lighthouse.md": ["# Lighthouse", "", FILLER, "", "## Lamp room", "", "The Fresnel lens turns in the lamp room. #shipping", ""].join("\n"),
  "Tides.md": "# Tides\n\nSpring tides follow the new moon.\n",
};

describe("an Obsidian vault and a PDF in the UI", { timeout: 120_000 }, () => {
  let app: AppHarness;
  beforeAll(async () => {
    const [pdf] = await printPdfs([
      `<html><head><title>Tide tables</title></head><body><p>The first page is about charts.</p><div style="page-break-before: always"><p>Slack water comes between the ebb and the flood.</p></div></body></html>`,
    ]);
    app = await start({ notes: { ...VAULT, "tables.pdf": pdf! }, addFolder: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("renders highlights, callouts and embeds, hides comments, and follows a wikilink to its heading", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("bright highlight");
    await page.getByTestId("search-result").first().click();
    const pane = page.getByTestId("preview");
    const body = pane.locator(".preview-body");
    await expect.poll(() => pane.locator("mark").first().textContent()).toBe("bright highlight");
    expect(await body.locator("blockquote.callout.callout-warning .callout-title").textContent()).toBe("Rocks ahead");
    expect(await body.locator("a.md-embed").textContent()).toBe("Tides");
    const text = await body.textContent();
    expect(text).not.toContain("zyxsecret");
    expect(text).not.toContain("%%");
    expect(text).not.toContain("^harbour-1");
    expect(text).not.toContain("[[");
    await screenshot(page, "obsidian-preview");

    await pane.getByRole("link", { name: "Missing note" }).click();
    expect(await pane.getByTestId("preview-error").textContent()).toBe("No note in your library is called “Missing note”.");

    await pane.getByRole("link", { name: "the lamp" }).click();
    await expect.poll(() => pane.locator("h2").first().textContent()).toBe("Lighthouse");
    const heading = pane.getByRole("heading", { name: "Lamp room" });
    await expect.poll(() => heading.evaluate((el) => {
      const box = el.closest(".preview-body")!.getBoundingClientRect();
      const top = el.getBoundingClientRect().top;
      return top >= box.top - 1 && top < box.bottom;
    })).toBe(true);
    await pane.getByTestId("preview-back").click();
    await pane.locator("a.md-embed").click();
    await expect.poll(() => pane.locator("h2").first().textContent()).toBe("Tides");
    expect(app.pageErrors).toEqual([]);
  });

  it("cites a PDF passage by its page and shows that page with the passage marked", async () => {
    const page = app.page;
    await page.getByTestId("search-input").fill("slack water ebb flood");
    const result = page.getByTestId("search-result").first();
    await expect.poll(() => result.textContent()).toContain(`${path.join(app.notesDir, "tables.pdf")} · p. 2`);
    await result.click();
    const pane = page.getByTestId("preview");
    await expect.poll(() => pane.getByTestId("preview-page").textContent()).toBe("Page 2 of 2");
    expect(await pane.getByTestId("preview-path").textContent()).toBe(`${path.join(app.notesDir, "tables.pdf")} · p. 2`);
    expect(await pane.locator(".passage").textContent()).toContain("Slack water comes between the ebb and the flood.");
    expect(await pane.locator(".preview-body").textContent()).not.toContain("charts");
    await screenshot(page, "pdf-preview");
    await pane.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(() => pane.getByTestId("preview-page").textContent()).toBe("Page 1 of 2");
    expect(await pane.locator(".preview-body").textContent()).toContain("The first page is about charts.");
    expect(await pane.locator(".passage").count()).toBe(0);
    expect(await pane.getByRole("button", { name: "Open in default app" }).count()).toBe(1);

    // The page as printed, drawn by main at the pane's width; it stays on while pages turn.
    const asPrinted = pane.getByTestId("preview-as-printed");
    await asPrinted.click();
    expect(await asPrinted.getAttribute("aria-pressed")).toBe("true");
    const image = pane.getByTestId("preview-page-image");
    type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };
    await expect.poll(() => image.evaluate((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth)).toBeGreaterThan(100);
    expect(await image.getAttribute("alt")).toBe("Page 1 as printed");
    const { naturalWidth, naturalHeight, shownWidth, paneWidth } = await image.evaluate((el) => ({
      naturalWidth: (el as unknown as Img).naturalWidth,
      naturalHeight: (el as unknown as Img).naturalHeight,
      shownWidth: el.getBoundingClientRect().width,
      paneWidth: el.closest(".preview-body")!.clientWidth,
    }));
    expect(naturalHeight / naturalWidth).toBeCloseTo(297 / 210, 1);
    expect(shownWidth).toBeLessThanOrEqual(paneWidth);
    await screenshot(page, "pdf-page-image");
    await pane.getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => image.getAttribute("alt")).toBe("Page 2 as printed");
    await asPrinted.click();
    expect(await pane.locator(".passage").textContent()).toContain("Slack water comes between the ebb and the flood.");
    expect(app.pageErrors).toEqual([]);
  });

  it("filters search by format and by tag", async () => {
    const page = app.page;
    const titles = async () => [...new Set(await page.getByTestId("search-result").locator(".search-result-title").allTextContents())];
    await page.getByTestId("search-input").fill("tides lamp harbour charts");
    await expect.poll(async () => (await titles()).length).toBeGreaterThan(2);
    await page.getByTestId("search-format-pdf").check();
    await expect.poll(titles).toEqual(["Tide tables"]);
    await page.getByTestId("search-format-pdf").uncheck();
    await page.getByTestId("search-tags").fill("#shipping");
    await expect.poll(titles).toEqual(["Lighthouse"]);
    await page.getByTestId("search-tags").fill("places, shipping");
    await expect.poll(() => page.locator(".search-status").textContent()).toContain("Nothing in your notes matches");
    expect(app.pageErrors).toEqual([]);
  });

  it("filters the library's files by format, offering the formats it holds", async () => {
    const page = app.page;
    await page.getByTestId("nav-library").click();
    const rows = page.getByTestId("file-row");
    await expect.poll(() => rows.count()).toBe(4);
    const filter = page.getByTestId("file-format-filter");
    expect(await filter.locator("option").allTextContents()).toEqual(["Any format", "Markdown (3)", "PDF (1)"]);
    await filter.selectOption("pdf");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.locator(".file-title").textContent()).toBe("Tide tables");
    await filter.selectOption("all");
    await expect.poll(() => rows.count()).toBe(4);
    expect(app.pageErrors).toEqual([]);
  });
});
