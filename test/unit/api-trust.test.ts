import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiError, EventName, Settings } from "../../shared/api.js";
import { createApi, type Api } from "../../main/api/api.js";
import type { CatalogModel } from "../../main/llm/models.js";
import { createServices } from "../../main/services.js";
import { startOpenAiServer, type OpenAiServer } from "../fixtures/openai-server.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { diskBytes, fakeSealer } from "../fixtures/secrets.js";
import type { SecretSealer } from "../../main/settings/secrets.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { runCli, tempDir, waitFor, writeFiles } from "../helpers.js";

const KEY = "sk-secret-4f7c1e9a";

let root: string;
let notes: string;
let model: string;
let server: OpenAiServer;
const apis: Api[] = [];

function open(db: string, sealer?: SecretSealer, catalog?: CatalogModel[]) {
  const services = createServices({ dbPath: path.join(root, db), threads: 1, sealer });
  const platform = new RecordingPlatform();
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const api = createApi({ services, platform, emit: (event, payload) => events.push({ event, payload }), modelsDir: path.join(root, "models"), threads: 1, catalog });
  apis.push(api);
  const call = (method: string, input: unknown = {}) => api.invoke(method, input, 1);
  return {
    api,
    services,
    platform,
    events,
    async value<T>(method: string, input?: unknown): Promise<T> {
      const result = await call(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async failure(method: string, input?: unknown): Promise<ApiError> {
      const result = await call(method, input);
      if (result.ok) throw new Error(`${method} succeeded`);
      return result.error;
    },
  };
}

beforeAll(async () => {
  root = tempDir();
  notes = path.join(root, "notes");
  writeFiles(notes, { "cats.md": "# Кошки\n\nКошки любят спать на подоконниках.\n" });
  model = writeTinyGguf(path.join(root, "tiny.gguf"), { seed: 1 });
  server = await startOpenAiServer({ modelPath: model, apiKey: KEY });
});
afterAll(async () => {
  for (const api of apis) await api.close();
  await server?.close();
});

describe("the endpoint's API key", () => {
  it("never reaches a window, and is stored sealed, never as plain text", async () => {
    const app = open("key.db", fakeSealer());
    const remote = { enabled: true, baseUrl: server.url, model: "m", apiKey: KEY };
    const view = await app.value<Settings>("settings.set", { remote });
    expect(view.remote).toEqual({ enabled: true, baseUrl: server.url, model: "m", contextSize: 8192, hasApiKey: true, apiKeySaved: true });
    expect(JSON.stringify(await app.value("settings.get"))).not.toContain(KEY);
    for (const e of app.events) expect(JSON.stringify(e.payload)).not.toContain(KEY);
    expect(diskBytes(path.join(root, "key.db"))).not.toContain(KEY);

    // A change that leaves the key out keeps it; the server still gets it.
    await app.value("settings.set", { remote: { enabled: true, baseUrl: server.url, model: "m", contextSize: 8192 } });
    expect(app.services.settings.remoteApiKey()).toBe(KEY);
    await app.api.close();
    const again = open("key.db", fakeSealer());
    expect(again.services.settings.remoteApiKey()).toBe(KEY);
    expect((await again.value<Settings>("settings.get")).remote).toMatchObject({ hasApiKey: true });
    await again.value("settings.set", { remote: { enabled: true, baseUrl: server.url, model: "m", apiKey: null } });
    expect(again.services.settings.remoteApiKey()).toBeNull();
  });

  it("is kept for this run only where the computer has no protected storage", async () => {
    const app = open("nokeyring.db", fakeSealer(false));
    const view = await app.value<Settings>("settings.set", { remote: { enabled: true, baseUrl: server.url, model: "m", apiKey: KEY } });
    expect(view.remote).toMatchObject({ hasApiKey: true, apiKeySaved: false });
    expect(app.services.settings.remoteApiKey()).toBe(KEY);
    expect(diskBytes(path.join(root, "nokeyring.db"))).not.toContain(KEY);
    await app.api.close();
    expect(open("nokeyring.db", fakeSealer(false)).services.settings.remoteApiKey()).toBeNull();
  });

  it("moves a plain-text key left by an earlier version into sealed storage, and answers with it", async () => {
    const dbPath = path.join(root, "legacy.db");
    createServices({ dbPath, threads: 1 }).close();
    const raw = new Database(dbPath);
    raw.prepare("INSERT INTO settings (key, value) VALUES ('remote', ?)").run(JSON.stringify({ enabled: true, baseUrl: server.url, model: "m", apiKey: KEY }));
    raw.close();
    expect(diskBytes(dbPath)).toContain(KEY);

    const app = open("legacy.db", fakeSealer());
    await app.services.library.index({ folders: [notes] });
    expect(diskBytes(dbPath)).not.toContain(KEY);
    expect((await app.value<Settings>("settings.get")).remote).toMatchObject({ baseUrl: server.url, hasApiKey: true, apiKeySaved: true });
    // The server refuses requests without the key: an answer proves main sent it.
    const { streamId } = await app.value<{ streamId: string }>("chat.ask", { question: "Где спят кошки?" });
    const end = await waitFor(() => app.events.find((e) => (e.event === "chat.done" || e.event === "chat.error") && (e.payload as { streamId: string }).streamId === streamId));
    expect(end!.event).toBe("chat.done");
  });

  it("is not read by the CLI, which takes its key from the flag or the environment", async () => {
    const db = path.join(root, "cli-key.db");
    const app = open("cli-key.db", fakeSealer());
    await app.value("settings.set", { remote: { enabled: true, baseUrl: server.url, model: "m", apiKey: KEY } });
    await app.services.library.index({ folders: [notes] });
    await app.api.close();
    const without = await runCli(["ask", "Где спят кошки?", "--db", db, "--max-tokens", "4"], { env: { ...process.env, SOURCEBOOK_API_KEY: "" } });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/401.*Check the API key/);
    const withEnv = await runCli(["ask", "Где спят кошки?", "--db", db, "--max-tokens", "4", "--json"], { env: { ...process.env, SOURCEBOOK_API_KEY: KEY } });
    expect(withEnv.stderr).toBe("");
    expect(JSON.parse(withEnv.stdout)).toMatchObject({ refused: expect.any(Boolean), context: { size: 8192 } });
  });
});

describe("where answers go", () => {
  it("asks the person in main's dialog before answering through an endpoint not in use, and changes nothing when they decline", async () => {
    const app = open("confirm.db", fakeSealer());
    const remote = { enabled: true, baseUrl: server.url, model: "m" };
    app.platform.confirmEndpoints = false;
    expect(await app.failure("settings.set", { remote })).toMatchObject({ code: "CANCELLED" });
    expect(app.platform.confirmed).toEqual([server.url]);
    expect(app.services.settings.get().remote).toBeNull();
    expect(app.events.filter((e) => e.event === "settings.changed")).toEqual([]);

    app.platform.confirmEndpoints = true;
    await app.value("settings.set", { remote });
    // The same server with another model, context or key needs no new confirmation.
    await app.value("settings.set", { remote: { ...remote, model: "other", contextSize: 4096, apiKey: KEY } });
    expect(app.platform.confirmed).toHaveLength(2);
    // Another address does, and so does turning a disabled endpoint back on.
    app.platform.confirmEndpoints = false;
    expect(await app.failure("settings.set", { remote: { ...remote, baseUrl: "http://127.0.0.1:9/v1" } })).toMatchObject({ code: "CANCELLED" });
    await app.value("settings.set", { remote: { ...remote, enabled: false } });
    expect(await app.failure("settings.set", { remote })).toMatchObject({ code: "CANCELLED" });
    expect(app.platform.confirmed).toEqual([server.url, server.url, "http://127.0.0.1:9/v1", server.url]);
    expect(app.services.settings.get().remote).toMatchObject({ enabled: false, baseUrl: server.url });
  });

  it("loads at start only a model the person chose, as models.load does", async () => {
    const app = open("model-path.db");
    const elsewhere = writeTinyGguf(path.join(root, "elsewhere", "planted.gguf"), { seed: 2 });
    expect(await app.failure("settings.set", { modelPath: elsewhere })).toMatchObject({ code: "FORBIDDEN" });
    expect(app.services.settings.get().modelPath).toBeNull();
    app.platform.nextModelFile = model;
    await app.value("models.pickFile");
    expect(await app.value("settings.set", { modelPath: model })).toMatchObject({ modelPath: model });
    expect(await app.value("settings.set", { modelPath: null })).toMatchObject({ modelPath: null });
  });
});

describe("downloads a window asks for", () => {
  let hits: string[];
  let sizeServer: http.Server;
  let base: string;
  beforeAll(async () => {
    hits = [];
    // Announces sizes and sends nothing: enough for the checks made before a download starts.
    sizeServer = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      const size = req.url?.startsWith("/huge") ? 4e13 : 1000;
      res.writeHead(200, { "content-length": size, "accept-ranges": "bytes", "content-type": "application/octet-stream" });
      res.end();
    });
    await new Promise<void>((resolve) => sizeServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(sizeServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => sizeServer.close(resolve)));

  const entry = (id: string, approxBytes: number): CatalogModel => ({ id, name: id, quantization: "Q4", approxBytes, uri: `${base}/${id}.gguf` });
  const ended = (app: ReturnType<typeof open>, downloadId: string) =>
    waitFor(() => app.events.find((e) => e.event === "models.downloadDone" && (e.payload as { downloadId: string }).downloadId === downloadId)?.payload as { error: ApiError | null });

  it("take only catalog names and hf: URIs: a URL reaches no server", async () => {
    const app = open("dl-url.db");
    for (const name of [`${base}/probe.gguf`, "http://127.0.0.1:22/", "file:///etc/passwd"]) {
      expect(await app.failure("models.download", { name })).toMatchObject({ code: "MODEL_NOT_FOUND" });
    }
    expect(hits).toEqual([]);
  });

  it("check the disk has room for the announced size before anything is written", async () => {
    const app = open("dl-huge.db", undefined, [entry("huge", 4e13)]);
    const { downloadId } = await app.value<{ downloadId: string }>("models.download", { name: "huge" });
    const { error } = await ended(app, downloadId);
    expect(error).toMatchObject({ code: "DOWNLOAD_FAILED", message: expect.stringMatching(/needs 40000\.0 GB of disk space/) });
    expect(fs.existsSync(path.join(root, "models")) ? fs.readdirSync(path.join(root, "models")).filter((f) => f.startsWith("huge")) : []).toEqual([]);
  });

  it("refuse a catalog model announced at a size far from the one it was published with", async () => {
    const app = open("dl-size.db", undefined, [entry("small", 5e9)]);
    const { downloadId } = await app.value<{ downloadId: string }>("models.download", { name: "small" });
    const { error } = await ended(app, downloadId);
    expect(error).toMatchObject({ code: "DOWNLOAD_FAILED", message: expect.stringMatching(/announced as 0\.00 GB, but small is about 5\.0 GB/) });
  });
});
