import type { Page } from "playwright-core";
import type { AskResult } from "../../shared/chat.js";
import { start, type AppHarness } from "../e2e/harness.js";
import { startScriptedServer } from "../fixtures/scripted-openai.js";
import { seededRandom } from "./corpora.js";
import { median, percentile, round } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

const LOADS = 7;
const STREAM_TOKENS = 1000;
const TOKENS_PER_SECOND = 50;
const EXCHANGES = 500;
const SCROLL_FRAMES = 600;
const NOTES = { "cats.md": "# Cats\n\nCats sleep on window sills and eat fish in the morning.\n" };
const QUESTION = "Where do cats sleep?";
// Frame pacing off, so that a frame's time is what producing it took, not the display's 16.7 ms.
const UNTHROTTLED = ["--disable-frame-rate-limit", "--disable-gpu-vsync"];

/** First contentful paint of the production build, each load in a fresh window. */
async function firstPaints(app: AppHarness): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await app.openPage();
    const handle = await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime);
    samples.push((await handle.jsonValue()) as number);
    await page.close();
  }
  return samples;
}

/** Words, with Markdown now and then, as a model writes: the renderer re-parses the answer as it grows. */
function answerTokens(count: number): string[] {
  const rand = seededRandom(11);
  const words = ["cats", "sleep", "on", "window", "sills", "and", "eat", "fish", "in", "the", "morning", "because", "warm", "light"];
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 96) return "\n\n";
    if (i % 41 === 40) return "\n- **";
    return ` ${words[Math.floor(rand() * words.length)]}`;
  });
}

async function ask(page: Page, question: string): Promise<void> {
  await page.getByTestId("question-input").fill(question);
  await page.getByTestId("send").click();
}

/** Long tasks (over 50 ms, as the Long Tasks API defines them) while an answer streams in. */
async function streamingLongTasks(app: AppHarness, serverUrl: string): Promise<{ longTasks: number[]; streamMs: number }> {
  await app.call("settings.set", { remote: { enabled: true, baseUrl: serverUrl, model: "scripted", apiKey: null } });
  const page = app.page;
  await page.reload();
  // Observe the stream only: the app's own start-up (settings, then the first render) ends first.
  await page.getByTestId("question-input").waitFor();
  await page.evaluate("new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5000 }))");
  await page.evaluate(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: "longtask" });
  })()`);
  const started = performance.now();
  await ask(page, QUESTION);
  // The stop button goes away once chat.done has been handled.
  await page.getByTestId("stop").waitFor({ state: "visible" });
  await page.getByTestId("stop").waitFor({ state: "hidden", timeout: 120_000 });
  const streamMs = performance.now() - started;
  return { longTasks: (await page.evaluate("window.__longTasks")) as number[], streamMs };
}

/** A realistic exchange: a few paragraphs with a list, citing two or three notes. */
function exchange(i: number): { question: string; result: AskResult } {
  const rand = seededRandom(1000 + i);
  const n = 2 + Math.floor(rand() * 2);
  const citations = Array.from({ length: n }, (_, d) => ({
    docId: d,
    chunkId: i * 4 + d + 1,
    path: `/home/me/notes/topic-${(i + d) % 40}.md`,
    title: `Topic ${(i + d) % 40}`,
    heading: `Section ${d + 1}`,
    lineStart: 3 + d * 10,
    lineEnd: 9 + d * 10,
    snippet: `…cats **sleep** on window sills, topic ${(i + d) % 40}…`,
    text: `Cats sleep on window sills and eat fish in the morning. Topic ${(i + d) % 40}, section ${d + 1}.`,
  }));
  const answer = [
    `Exchange ${i}: cats sleep on warm window sills [1] and usually eat fish in the morning [2].`,
    "- they prefer sunny places\n- they sleep up to sixteen hours a day\n- kittens sleep even more",
    `In winter they move closer to the radiator${n > 2 ? " [3]" : ""}, as the notes on heating describe.`,
  ].join("\n\n");
  return {
    question: `Question ${i}: where do cats sleep, and what do they eat?`,
    result: {
      question: `Question ${i}`,
      refused: false,
      relevantDocIds: citations.map((c) => c.docId),
      answer,
      stopped: false,
      citations,
      candidates: citations.map(({ text: _text, ...ref }) => ref),
      omitted: [],
      context: { size: 8192, promptTokens: 1800, answerBudget: 1024, countedBy: "model", history: { sent: 0, leftOut: 0 } },
      truncated: false,
      tokens: { prompt: 1800, evaluated: 1800, reused: 0, generated: 120 },
      steps: { select: null, answer: null },
      timings: { retrieveMs: 3, selectMs: 400, answerMs: 2400, firstTokenMs: 90 },
    },
  };
}

/**
 * rAF deltas over `frames` frames: scrolling the messages from top to bottom, or, for the baseline,
 * moving a 1-pixel marker (a frame with nothing to draw is not produced at all, so a truly idle
 * page would measure the scheduler's pacing rather than a frame).
 */
const FRAME_TIMES = `(async ({ frames, scroll }) => {
  let box = document.querySelector('[data-testid="message"]');
  while (box && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (scroll && !box) throw new Error("No scrolling container around the messages.");
  const marker = document.createElement("div");
  marker.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;background:transparent;pointer-events:none";
  if (!scroll) document.body.append(marker);
  else box.scrollTop = 0;
  const deltas = [];
  let last = await new Promise(requestAnimationFrame);
  for (let i = 1; i <= frames; i++) {
    if (scroll) box.scrollTop = ((box.scrollHeight - box.clientHeight) * i) / frames;
    else marker.style.transform = "translateX(" + (i % 2) + "px)";
    const now = await new Promise(requestAnimationFrame);
    deltas.push(now - last);
    last = now;
  }
  marker.remove();
  return { deltas, reachedBottom: scroll ? box.scrollTop + box.clientHeight >= box.scrollHeight - 2 : false, scrollHeight: scroll ? box.scrollHeight : 0 };
})`;

interface FrameRun {
  deltas: number[];
  reachedBottom: boolean;
  scrollHeight: number;
}

async function scrollFrames(app: AppHarness): Promise<{ idle: FrameRun; scroll: FrameRun }> {
  const conversation = app.services.conversations.create("A long conversation about cats");
  for (let i = 0; i < EXCHANGES; i++) {
    const { question, result } = exchange(i);
    app.services.conversations.addExchange(conversation.id, question, result, "scripted", { k: 6, temperature: 0.3 });
  }
  const page = app.page;
  await page.reload();
  await page.getByTestId("conversation-item").filter({ hasText: conversation.title }).getByRole("button").first().click();
  await page.getByTestId("message").first().waitFor();
  // The same page at rest, as the baseline.
  const idle = (await page.evaluate(`${FRAME_TIMES}({ frames: ${SCROLL_FRAMES}, scroll: false })`)) as FrameRun;
  const scroll = (await page.evaluate(`${FRAME_TIMES}({ frames: ${SCROLL_FRAMES}, scroll: true })`)) as FrameRun;
  return { idle, scroll };
}

export async function uiBench(ctx: BenchContext): Promise<BenchOutput> {
  const server = await startScriptedServer({ relevantDocIds: [0], tokens: answerTokens(STREAM_TOKENS), tokensPerSecond: TOKENS_PER_SECOND });
  const app = await start({ notes: NOTES, addFolder: true, chromiumArgs: UNTHROTTLED });
  try {
    const paints = await firstPaints(app);
    ctx.log(`first contentful paint: ${paints.map((ms) => round(ms, 1)).join(", ")} ms`);
    const stream = await streamingLongTasks(app, server.url);
    if (server.streamed !== STREAM_TOKENS) throw new Error(`The endpoint streamed ${server.streamed} tokens, not ${STREAM_TOKENS}.`);
    ctx.log(`streamed ${STREAM_TOKENS} tokens in ${round(stream.streamMs / 1000, 1)} s: ${stream.longTasks.length} long tasks`);
    const frames = await scrollFrames(app);
    if (!frames.scroll.reachedBottom) throw new Error("The scroll did not reach the end of the conversation.");
    const p95 = percentile(frames.scroll.deltas, 95);
    const idleP95 = percentile(frames.idle.deltas, 95);
    ctx.log(`scrolling ${EXCHANGES * 2} messages: frame p95 ${round(p95, 1)} ms (baseline ${round(idleP95, 1)} ms)`);
    return {
      rows: [
        { what: `production renderer: first contentful paint (median of ${LOADS})`, value: median(paints), unit: "ms", digits: 0 },
        { what: `streaming ${STREAM_TOKENS} tokens at ${TOKENS_PER_SECOND}/s: long tasks over 50 ms`, value: stream.longTasks.length, unit: "", digits: 0, target: { op: "==", value: 0 } },
        { what: `${EXCHANGES * 2}-message conversation: scroll frame time p95`, value: p95, unit: "ms", digits: 1, target: { op: "<=", value: 16 } },
        { what: "baseline: the same page at rest (one pixel moved per frame), p95", value: idleP95, unit: "ms", digits: 1 },
        { what: "scroll p95 ÷ baseline p95", value: p95 / idleP95, unit: "×", digits: 2 },
      ],
      details: {
        firstContentfulPaintMs: paints.map((ms) => round(ms, 1)),
        streamMs: round(stream.streamMs),
        longTasksMs: stream.longTasks.map((ms) => round(ms, 1)),
        scroll: { frames: SCROLL_FRAMES, scrollHeight: frames.scroll.scrollHeight, p50: round(percentile(frames.scroll.deltas, 50), 2), max: round(Math.max(...frames.scroll.deltas), 2) },
        idle: { p50: round(percentile(frames.idle.deltas, 50), 2), max: round(Math.max(...frames.idle.deltas), 2) },
      },
    };
  } finally {
    await app.close();
    await server.close();
  }
}
