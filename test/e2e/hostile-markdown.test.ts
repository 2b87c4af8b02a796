import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTranscript } from "../../main/chat/transcript.js";
import type { Transcript } from "../../shared/transcript.js";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { ask, newChat } from "./actions.js";
import { screenshot, start, type AppHarness } from "./harness.js";

// Markdown that remark cannot take: nested so deeply that parsing or rendering overflows the stack
// (which left the whole window blank), or shaped so that parsing takes minutes. Each one is shown
// as plain text with a note saying why, and the rest of the app goes on working.
const QUOTES = ">".repeat(3000);
/** A list one level deeper on every line, 1,000 levels: about 1 MB, 29 s for remark. */
const LADDER = Array.from({ length: 1000 }, (_, i) => `${"  ".repeat(i)}- rung${i}`).join("\n");
/** Shallow but quadratic in micromark: every block quote that closes copies all events so far. */
const SLOW = "> x\n\n".repeat(40_000);

const NOTES = {
  "cats.md": "# Cats\n\nCats sleep on warm window sills, sixteen hours a day.\n",
  "quotes.md": `# Quotes\n\nPelicans quoted below.\n\n${QUOTES} pelican\n`,
  "ladder.md": `# Ladder\n\nHerons climb the ladder.\n\n${LADDER}\n\nThe top rung.\n`,
  "slow.md": `# Slow\n\nCormorants wait.\n\n${SLOW}The last cormorant.\n`,
};

describe("hostile Markdown in notes, answers and imported transcripts", { timeout: 120_000 }, () => {
  let server: ScriptedServer;
  let app: AppHarness;
  const answers = () => app.page.locator('[data-testid="message"][data-kind="answer"]');
  const conversation = (title: string) => app.page.locator('[data-testid="conversation-item"] .conversation-open', { hasText: title });

  beforeAll(async () => {
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Cats sleep on sills [1]."], tokensPerSecond: 0 });
    app = await start({ notes: NOTES, addFolder: true, settings: { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } } });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  /** Searches, opens the note's hit in the preview and returns the preview. */
  async function preview(query: string, title: string) {
    const page = app.page;
    await page.getByTestId("nav-search").click();
    await page.getByTestId("search-input").fill(query);
    await page.getByTestId("search-result").filter({ hasText: title }).first().click();
    const pane = page.getByTestId("preview");
    await expect.poll(() => pane.locator("h2").textContent()).toBe(title);
    return pane;
  }

  /** The app still answers: a new chat, a question, a formatted answer. */
  async function stillAnswers(): Promise<void> {
    const page = app.page;
    await page.getByTestId("nav-chat").click();
    await newChat(page);
    server.script = { relevantDocIds: [0], tokens: ["Cats sleep on **warm** sills [1]."], tokensPerSecond: 0 };
    const end = await ask(app, page, "Where do cats sleep?");
    expect(end.event).toBe("chat.done");
    await expect.poll(() => answers().last().locator("strong").textContent()).toBe("warm");
  }

  it("previews a note of 3,000 nested quotes as plain text", async () => {
    const pane = await preview("pelicans quoted", "Quotes");
    const note = pane.getByTestId("markdown-plain");
    await note.waitFor();
    expect(await note.textContent()).toContain("more than 32 levels deep");
    expect(await pane.locator(".preview-body").textContent()).toContain(`${QUOTES} pelican`);
    // The cited passage is still marked in the plain text.
    expect(await pane.locator(".passage").allTextContents()).toEqual([expect.stringContaining("Pelicans quoted below.")]);
    await screenshot(app.page, "preview-too-deep");
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });

  it("previews a 1 MB list nested 1,000 levels deep as plain text, without waiting for remark", async () => {
    const pane = await preview("herons ladder", "Ladder");
    await pane.getByTestId("markdown-plain").waitFor();
    expect(await pane.locator(".preview-body").textContent()).toContain("- rung999\n\nThe top rung.");
    expect(await pane.locator("li").count()).toBe(0);
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });

  it("gives up formatting a note that would take remark minutes, and shows it as plain text", async () => {
    const pane = await preview("cormorants wait", "Slow");
    const note = pane.getByTestId("markdown-plain");
    // The worker is stopped at its deadline (4 s); remark alone would take well over a minute.
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toContain("took too long");
    expect(await pane.locator(".preview-body").textContent()).toContain("The last cormorant.");
    expect(await pane.locator("blockquote").count()).toBe(0);
    // The search beside it goes on working.
    await app.page.getByTestId("search-input").fill("cats");
    await expect.poll(() => app.page.getByTestId("search-result").allTextContents()).toEqual([expect.stringContaining("Cats")]);
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });

  it("shows a model's answer of 3,000 nested quotes as plain text, streamed, stored and opened again", async () => {
    const page = app.page;
    await page.getByTestId("nav-chat").click();
    await newChat(page);
    server.script = { relevantDocIds: [0], tokens: [QUOTES, " deep"], tokensPerSecond: 0 };
    const end = await ask(app, page, "How deep can quotes go?");
    expect(end.event).toBe("chat.done");
    const answer = answers().last();
    await answer.getByTestId("markdown-plain").waitFor();
    expect(await answer.getByTestId("answer").textContent()).toContain(`${QUOTES} deep`);
    await screenshot(page, "answer-too-deep");

    // Another conversation still opens, and this one shows the same again.
    await conversation("Where do cats sleep?").first().click();
    await expect.poll(() => answers().last().textContent()).toContain("warm");
    await conversation("How deep can quotes go?").click();
    await answers().last().getByTestId("markdown-plain").waitFor();
    expect(await answers().last().getByTestId("answer").textContent()).toContain(`${QUOTES} deep`);
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });

  it("formats a long answer on the worker as it streams", async () => {
    const page = app.page;
    await page.getByTestId("nav-chat").click();
    await newChat(page);
    // 20 KB, past what is parsed on the main thread.
    const paragraphs = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} about **cats ${i}** and their sills.\n\n`);
    server.script = { relevantDocIds: [0], tokens: paragraphs, tokensPerSecond: 400 };
    await ask(app, page, "Tell me a lot about cats.");
    await expect.poll(() => answers().last().locator("strong").count()).toBe(200);
    expect(await answers().last().getByTestId("markdown-plain").count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });

  /** Imports the stored conversation about quotes as a new one, its answer replaced. */
  async function importWithAnswer(title: string, answer: string): Promise<void> {
    const [stored] = app.services.conversations.list("How deep can quotes go?");
    const transcript = JSON.parse(renderTranscript(app.services.conversations.get(stored!.id), "json")) as Transcript;
    transcript.conversation.title = title;
    transcript.conversation.messages[1]!.content = answer;
    const file = path.join(app.dataDir, `${title}.json`);
    fs.writeFileSync(file, JSON.stringify(transcript));
    app.platform.nextTranscriptFile = file;
    await app.page.getByTestId("import-conversation").click();
    await expect.poll(() => app.page.locator(".chat-title").textContent()).toBe(title);
  }

  it("imports a transcript whose answer is 3,000 nested quotes, and shows it as plain text", async () => {
    await importWithAnswer("Imported quotes", `${QUOTES} imported`);
    await answers().last().getByTestId("markdown-plain").waitFor();
    expect(await answers().last().getByTestId("answer").textContent()).toContain(`${QUOTES} imported`);
    await conversation("Where do cats sleep?").first().click();
    await expect.poll(() => answers().last().textContent()).toContain("warm");
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });

  it("imports a transcript with an answer past the length limit, and shows it as plain text", async () => {
    await importWithAnswer("Imported essay", `**Too long** ${"cats ".repeat(50_000)}`);
    const plain = answers().last().getByTestId("markdown-plain");
    await plain.waitFor();
    expect(await plain.textContent()).toContain("longer than 204,800 characters");
    expect(await answers().last().getByTestId("answer").textContent()).toContain("**Too long** cats cats");
    await stillAnswers();
    expect(app.pageErrors).toEqual([]);
  });
});
