import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, start, type AppHarness } from "./harness.js";

// Links between notes, followed in the preview: relative to the note, spaces encoded, a heading to
// scroll to. A link that leaves the library is refused by main before anything there is read.
const FILLER = Array.from({ length: 80 }, (_, i) => `Filler paragraph ${i} about nothing in particular.`).join("\n\n");
const NOTES = {
  "alpha.md": [
    "# Alpha",
    "",
    "Albatross notes. See [the beta note](beta%20notes/beta%20note.md#second-part), [outside](../outside.md), [the site](https://example.com/birds) and [[Beta note]].",
    "",
  ].join("\n"),
  "beta notes/beta note.md": ["# Beta", "", "Beta begins here.", "", FILLER, "", "## Second part", "", "Back to [alpha](../alpha.md).", ""].join("\n"),
};
const SECRET = "The outside secret, never read.";

describe("links between notes in the preview", { timeout: 90_000 }, () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await start({ notes: NOTES, addFolder: true });
    fs.writeFileSync(path.join(path.dirname(app.notesDir), "outside.md"), `# Outside\n\n${SECRET}\n`);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("opens the linked note at its heading, follows the link back, and Back returns", async () => {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill("albatross");
    await page.getByTestId("search-result").first().click();
    const pane = page.getByTestId("preview");
    const title = pane.locator("h2").first();
    await expect.poll(() => title.textContent()).toBe("Alpha");

    await pane.getByRole("link", { name: "the beta note" }).click();
    await expect.poll(() => title.textContent()).toBe("Beta");
    expect(await pane.getByTestId("preview-path").textContent()).toBe(path.join(app.notesDir, "beta notes", "beta note.md"));
    // Scrolled to "Second part", far below the top.
    const heading = pane.getByRole("heading", { name: "Second part" });
    await expect.poll(() => heading.evaluate((el) => {
      const body = el.closest(".preview-body")!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return box.top >= body.top - 1 && box.top < body.bottom;
    })).toBe(true);
    expect(await pane.locator(".preview-body").evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

    await pane.getByRole("link", { name: "alpha" }).click();
    await expect.poll(() => title.textContent()).toBe("Alpha");
    await pane.getByTestId("preview-back").click();
    await expect.poll(() => title.textContent()).toBe("Beta");
    await pane.getByTestId("preview-back").click();
    await expect.poll(() => title.textContent()).toBe("Alpha");
    expect(await pane.getByTestId("preview-back").count()).toBe(0);
    // The source's passage is marked again, with its line range.
    expect(await pane.getByTestId("preview-path").textContent()).toMatch(/alpha\.md:\d+–\d+$/);
    expect(await pane.locator(".passage").count()).toBeGreaterThan(0);
    expect(app.pageErrors).toEqual([]);
  });

  it("refuses a link outside the library, clearly, and keeps the note", async () => {
    const page = app.page;
    const pane = page.getByTestId("preview");
    await pane.getByRole("link", { name: "outside" }).click();
    const error = pane.getByTestId("preview-error");
    await error.waitFor();
    expect(await error.textContent()).toBe(`“${path.join(path.dirname(app.notesDir), "outside.md")}” is not in your library, so it is not shown here.`);
    expect(await pane.locator("h2").first().textContent()).toBe("Alpha");
    await screenshot(page, "note-link-outside");
    expect(await page.locator("#root").textContent()).not.toContain(SECRET);
    expect(app.events.some((e) => JSON.stringify(e.payload).includes(SECRET))).toBe(false);
  });

  it("sends web links to the browser, and a wikilink opens the note it names", async () => {
    const pane = app.page.getByTestId("preview");
    await pane.getByRole("link", { name: "the site" }).click();
    await expect.poll(() => app.platform.external).toEqual(["https://example.com/birds"]);
    expect(await pane.locator(".preview-body").textContent()).not.toContain("[[");
    expect(await pane.locator("h2").first().textContent()).toBe("Alpha");
    // [[Beta note]] names "beta notes/beta note.md" by its file name, as Obsidian resolves it.
    await pane.getByRole("link", { name: "Beta note", exact: true }).click();
    await expect.poll(() => pane.locator("h2").first().textContent()).toBe("Beta");
    await pane.getByTestId("preview-back").click();
    expect(app.pageErrors).toEqual([]);
  });
});
