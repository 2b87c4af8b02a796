import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type AppHarness } from "./harness.js";

// The harness's own contract: the page gets what the preload gives, the app's CSP holds, and
// events reach the page in order. Every other e2e test stands on this.
describe("the e2e bridge", { timeout: 60_000 }, () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await start({ notes: { "cats.md": "# Cats\n\nCats sleep on window sills.\n" } });
  });
  afterAll(() => app?.close());

  it("exposes only invoke and on, frozen, and answers in envelopes", async () => {
    const page = app.page;
    expect(await page.evaluate("Object.keys(window.sourcebook).sort()")).toEqual(["invoke", "on"]);
    expect(await page.evaluate("Object.isFrozen(window.sourcebook)")).toBe(true);
    expect(await page.evaluate("window.sourcebook.invoke('app.info', {})")).toMatchObject({ ok: true, value: { firstRun: true, version: "0.0.0-test" } });
    expect(await page.evaluate("window.sourcebook.invoke('fs.readFile', { path: '/etc/passwd' })")).toMatchObject({ ok: false, error: { code: "UNKNOWN_METHOD" } });
    expect(await page.evaluate("window.sourcebook.invoke('library.addFolder', { path: 7 })")).toMatchObject({ ok: false, error: { code: "BAD_INPUT" } });
  });

  it("delivers events to subscribers until they unsubscribe", async () => {
    const page = app.page;
    await page.evaluate(`(() => {
      window.__seen = [];
      window.__off = window.sourcebook.on("index.progress", (p) => window.__seen.push(p.phase));
      try {
        window.sourcebook.on("no.such.event", () => window.__seen.push("unknown"));
      } catch (error) {
        window.__unknownEvent = error.message;
      }
    })()`);
    expect(await page.evaluate("window.__unknownEvent")).toBe('There is no event "no.such.event".');
    app.platform.nextFolder = app.notesDir;
    const picked = (await page.evaluate("window.sourcebook.invoke('library.pickFolder', {})")) as { value: string };
    expect(picked.value).toBe(app.notesDir);
    await page.evaluate(`window.sourcebook.invoke('library.addFolder', { path: ${JSON.stringify(picked.value)} })`);
    await page.waitForFunction(() => (globalThis as unknown as { __seen: string[] }).__seen.includes("done"));
    const seen = (await page.evaluate("window.__seen")) as string[];
    expect(seen).not.toContain("unknown");
    expect(seen.indexOf("done")).toBe(seen.length - 1);
    await page.evaluate("window.__off()");
    const count = seen.length;
    await page.evaluate(`window.sourcebook.invoke('library.reindex', {})`);
    expect(((await page.evaluate("window.__seen")) as string[]).length).toBe(count);
    expect(await app.call("library.folders", {})).toMatchObject([{ path: path.resolve(app.notesDir), indexed: 1 }]);
  });

  it("serves the renderer under the app's CSP: no inline scripts, no network", async () => {
    const page = app.page;
    const response = await page.request.get(app.url);
    expect(response.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.evaluate(`(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = 1";
      document.body.append(s);
    })()`);
    expect(await page.evaluate("window.__inline")).toBeUndefined();
    expect(await page.evaluate("fetch('http://127.0.0.1:9/').then(() => 'fetched', () => 'blocked')")).toBe("blocked");
  });

  it("refuses calls from a subframe", async () => {
    const page = app.page;
    await page.evaluate(`(() => { const f = document.createElement("iframe"); f.src = "index.html"; f.id = "sub"; document.body.append(f); })()`);
    const frame = await (await page.waitForSelector("#sub")).contentFrame();
    await frame!.waitForFunction(() => "sourcebook" in globalThis);
    expect(await frame!.evaluate("window.sourcebook.invoke('app.info', {})")).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
