import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ApiError, EmbeddingsView, EventName } from "../../shared/api.js";
import type { EmbeddingProgress } from "../../shared/library.js";
import { createApi, type Api } from "../../main/api/api.js";
import { createServices } from "../../main/services.js";
import { embeddingsServer, type EmbeddingsServer } from "../fixtures/embeddings-server.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { diskBytes, fakeSealer } from "../fixtures/secrets.js";
import type { SecretSealer } from "../../main/settings/secrets.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

const KEY = "sk-embed-7d2a90c4";

const root = tempDir();
const apis: Api[] = [];
const servers: EmbeddingsServer[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

function open(name: string, options: { sealer?: SecretSealer; notes?: Record<string, string> } = {}) {
  const notes = path.join(root, name, "notes");
  writeFiles(notes, options.notes ?? { "cats.md": "# Кошки\n\nКошки любят спать на подоконниках.\n", "printer.md": "# Printer\n\nThe printer needs toner.\n" });
  const dbPath = path.join(root, name, "lib.db");
  const services = createServices({ dbPath, threads: 1, embeddingThreads: 1, sealer: options.sealer });
  const platform = new RecordingPlatform();
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const handlers: Array<(event: EventName, payload: unknown) => void> = [];
  const modelsDir = path.join(root, name, "models");
  const api = createApi({
    services,
    platform,
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const handler of handlers) handler(event, payload);
    },
    modelsDir,
    threads: 1,
  });
  apis.push(api);
  const call = (method: string, input: unknown = {}) => api.invoke(method, input, 1);
  return {
    api,
    services,
    platform,
    events,
    dbPath,
    notes,
    modelsDir,
    handlers,
    progress: () => events.filter((e) => e.event === "embeddings.progress").map((e) => e.payload as EmbeddingProgress),
    statuses: () => events.filter((e) => e.event === "embeddings.status").map((e) => e.payload as EmbeddingsView),
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

describe("a local embedding model from a window", () => {
  it("is taken only as models.load takes a file (picked, or downloaded), then embeds in the background with progress events", async () => {
    const app = open("local");
    await app.services.library.index({ folders: [app.notes] });
    const planted = writeTinyGguf(path.join(root, "local", "elsewhere", "planted.gguf"), { pooling: "mean", name: "planted" });
    expect(await app.failure("embeddings.useModel", { modelPath: planted })).toMatchObject({ code: "FORBIDDEN" });
    expect((await app.value<EmbeddingsView>("embeddings.status")).model).toBeNull();

    app.platform.nextModelFile = planted;
    await app.value("models.pickFile");
    const view = await app.value<EmbeddingsView>("embeddings.useModel", { modelPath: planted });
    expect(view).toMatchObject({ model: { name: "planted", kind: "local", location: planted, dims: 64 }, embedded: 0, total: 2, hasApiKey: false });
    const done = await waitFor(() => app.progress().find((p) => p.phase === "done"), 20_000, "the embedding run's end");
    expect(done).toEqual({ phase: "done", model: "planted", embedded: 2, total: 2 });
    expect(app.progress()[0]).toMatchObject({ phase: "embedding", model: "planted", total: 2 });
    // Every window learns the model at once, and the coverage once the run ends.
    expect(app.statuses().map((s) => [s.model?.name, s.embedded])).toEqual([
      ["planted", 0],
      ["planted", 2],
    ]);
    expect((await app.value<{ mode: string }>("search.run", { query: "кошки" })).mode).toBe("hybrid");

    // A model downloaded into the models folder needs no picking.
    const downloaded = writeTinyGguf(path.join(app.modelsDir, "hf_org_downloaded.gguf"), { pooling: "mean", name: "downloaded", seed: 3 });
    expect(await app.value<EmbeddingsView>("embeddings.useModel", { modelPath: downloaded })).toMatchObject({ model: { name: "downloaded" } });
    await waitFor(() => app.progress().filter((p) => p.phase === "done").length === 2, 20_000, "the second run");
    expect(await app.value<EmbeddingsView>("embeddings.status")).toMatchObject({ model: { name: "downloaded" }, embedded: 2, total: 2, running: false, error: null });
  });

  it("a broken model file fails clearly and leaves the model there was", async () => {
    const app = open("broken");
    const broken = path.join(app.modelsDir, "broken.gguf");
    fs.mkdirSync(app.modelsDir, { recursive: true });
    fs.writeFileSync(broken, "not a model");
    expect(await app.failure("embeddings.useModel", { modelPath: broken })).toMatchObject({ code: "NOT_GGUF" });
    expect((await app.value<EmbeddingsView>("embeddings.status")).model).toBeNull();
    expect(app.statuses()).toEqual([]);
  });
});

describe("an embeddings endpoint from a window", () => {
  it("is confirmed by the person in main's dialog first, and nothing changes when they decline", async () => {
    const server = await embeddingsServer();
    servers.push(server);
    const app = open("confirm");
    await app.services.library.index({ folders: [app.notes] });
    app.platform.confirmEndpoints = false;
    expect(await app.failure("embeddings.useEndpoint", { baseUrl: server.url, model: "concepts" })).toMatchObject({ code: "CANCELLED" });
    expect(app.platform.confirmed).toEqual([server.url]);
    expect(app.platform.confirmedFor).toEqual(["embeddings"]);
    expect(server.requests).toEqual([]);
    expect((await app.value<EmbeddingsView>("embeddings.status")).model).toBeNull();

    app.platform.confirmEndpoints = true;
    expect(await app.value<EmbeddingsView>("embeddings.useEndpoint", { baseUrl: server.url, model: "concepts" })).toMatchObject({ model: { kind: "remote", location: server.url, name: "concepts" } });
    await waitFor(() => app.progress().find((p) => p.phase === "done"), 10_000, "the run");
    // The same server again, however written, asks nothing; a file:// address is refused before any dialog.
    await app.value("embeddings.useEndpoint", { baseUrl: `${server.url}/`, model: "concepts" });
    expect(app.platform.confirmed).toEqual([server.url, server.url]);
    expect(await app.failure("embeddings.useEndpoint", { baseUrl: "file:///etc/passwd", model: "m" })).toMatchObject({ code: "BAD_INPUT" });
    expect(app.platform.confirmed).toHaveLength(2);
  });

  it("keeps its key sealed, never shows it to a window, and sends it to that endpoint only", async () => {
    const keyed = await embeddingsServer(KEY);
    const other = await embeddingsServer();
    servers.push(keyed, other);
    const app = open("key", { sealer: fakeSealer() });
    await app.services.library.index({ folders: [app.notes] });
    // A wrong key fails as the server says, and is not kept.
    expect(await app.failure("embeddings.useEndpoint", { baseUrl: keyed.url, model: "concepts", apiKey: "wrong" })).toMatchObject({ code: "REMOTE_FAILED", message: expect.stringContaining("401") });
    expect(app.services.settings.embeddingApiKey(keyed.url)).toBeNull();

    const view = await app.value<EmbeddingsView>("embeddings.useEndpoint", { baseUrl: keyed.url, model: "concepts", apiKey: KEY });
    expect(view).toMatchObject({ model: { location: keyed.url }, hasApiKey: true });
    await waitFor(() => app.progress().find((p) => p.phase === "done"), 10_000, "the run");
    expect(keyed.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(JSON.stringify(app.events)).not.toContain(KEY);
    expect(JSON.stringify(await app.value("embeddings.status"))).not.toContain(KEY);
    expect(diskBytes(app.dbPath)).not.toContain(KEY);

    // After a restart the sealed key is read back, and a search's query goes with it.
    await app.api.close();
    const again = open("key", { sealer: fakeSealer() });
    const before = keyed.requests.length;
    expect(await again.value<{ mode: string; notice: string | null }>("search.run", { query: "toner" })).toMatchObject({ mode: "hybrid", notice: null });
    expect(keyed.requests.slice(before).map((r) => r.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);

    // Another endpoint never gets it.
    await again.value("embeddings.useEndpoint", { baseUrl: other.url, model: "concepts" });
    await waitFor(() => again.progress().find((p) => p.phase === "done"), 10_000, "the run on the other server");
    expect(other.requests.length).toBeGreaterThan(0);
    expect(other.requests.every((r) => r.authorization === undefined)).toBe(true);
    expect(await again.value<EmbeddingsView>("embeddings.status")).toMatchObject({ hasApiKey: false });
    // null sends none (the server then refuses, and the model stays the one that works), and
    // once a model is set with it, the key is gone.
    expect(again.services.settings.embeddingApiKey(keyed.url)).toBe(KEY);
    expect(await again.failure("embeddings.useEndpoint", { baseUrl: keyed.url, model: "concepts", apiKey: null })).toMatchObject({ code: "REMOTE_FAILED" });
    expect(await again.value<EmbeddingsView>("embeddings.status")).toMatchObject({ model: { location: other.url } });
    await again.value("embeddings.useEndpoint", { baseUrl: other.url, model: "concepts", apiKey: null });
    expect(await again.value<EmbeddingsView>("embeddings.status")).toMatchObject({ model: { location: other.url }, hasApiKey: false });
    expect(again.services.settings.embeddingApiKey(keyed.url)).toBeNull();
  });

  it("is held for this run only where the computer has no protected storage", async () => {
    const keyed = await embeddingsServer(KEY);
    servers.push(keyed);
    const app = open("nokeyring", { sealer: fakeSealer(false) });
    expect(await app.value<EmbeddingsView>("embeddings.useEndpoint", { baseUrl: keyed.url, model: "concepts", apiKey: KEY })).toMatchObject({ hasApiKey: true });
    expect(diskBytes(app.dbPath)).not.toContain(KEY);
    await app.api.close();
    expect(open("nokeyring", { sealer: fakeSealer(false) }).services.settings.embeddingApiKey(keyed.url)).toBeNull();
  });
});

describe("starting and stopping embedding from a window", () => {
  it("stops a run part-way, keeping what it stored, and embeddings.start embeds only the rest", async () => {
    const server = await embeddingsServer();
    servers.push(server);
    const notes = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`n${i}.md`, `# Note ${i}\n\nA printer note, number ${i}.\n`]));
    const app = open("stop", { notes });
    await app.services.library.index({ folders: [app.notes] });
    // Request 0 is the fingerprint, 1 the first batch; the second batch is held while the person stops.
    let release!: () => void;
    server.onRequest = (i) => {
      if (i !== 2) return;
      void app.value("embeddings.stop");
      return new Promise<void>((resolve) => (release = resolve));
    };
    await app.value("embeddings.useEndpoint", { baseUrl: server.url, model: "concepts" });
    await waitFor(() => server.requests.length === 3, 10_000, "the second batch's request");
    release();
    const stopped = await waitFor(() => app.progress().find((p) => p.phase !== "embedding"), 10_000, "the run's end");
    expect(stopped).toMatchObject({ phase: "stopped", model: "concepts", total: 80 });
    const status = await app.value<EmbeddingsView>("embeddings.status");
    expect(status).toMatchObject({ running: false, error: null, embedded: stopped!.embedded });
    expect(status.embedded).toBeGreaterThanOrEqual(32);
    expect(status.embedded).toBeLessThan(80);
    expect(app.statuses().at(-1)).toMatchObject({ embedded: status.embedded });

    server.onRequest = undefined;
    const sent = server.requests.length;
    await app.value("embeddings.start");
    const done = await waitFor(() => app.progress().find((p) => p.phase === "done"), 10_000, "the resumed run");
    expect(done).toMatchObject({ embedded: 80, total: 80 });
    // Only the chunks without a vector (the endpoint's fingerprint was checked already).
    const resent = server.requests.slice(sent).flatMap((r) => r.input);
    expect(resent).toHaveLength(80 - status.embedded);
  });

  it("a new model stops the run of the old one instead of waiting for it, and a model that fails lets it go on", async () => {
    const slow = await embeddingsServer();
    const other = await embeddingsServer();
    servers.push(slow, other);
    const notes = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`n${i}.md`, `# Note ${i}\n\nA printer note, number ${i}.\n`]));
    const app = open("switch", { notes });
    await app.services.library.index({ folders: [app.notes] });
    // Each run's first batch (requests 1 and 2) is held: a run stays in progress until it is stopped.
    slow.onRequest = (i) => (i === 1 || i === 2 ? new Promise<void>(() => {}) : undefined);
    await app.value("embeddings.useEndpoint", { baseUrl: slow.url, model: "concepts" });
    await waitFor(() => slow.requests.length === 2, 10_000, "the held batch");
    expect((await app.value<EmbeddingsView>("embeddings.status")).running).toBe(true);
    // A model that fails: the run goes on (and is held again).
    expect(await app.failure("embeddings.useEndpoint", { baseUrl: "http://127.0.0.1:9/v1", model: "m" })).toMatchObject({ code: "REMOTE_FAILED" });
    await waitFor(() => slow.requests.length === 3, 10_000, "the run going on");
    // One that works takes over at once, and embeds everything.
    expect(await app.value<EmbeddingsView>("embeddings.useEndpoint", { baseUrl: other.url, model: "concepts" })).toMatchObject({ model: { location: other.url } });
    await waitFor(() => app.progress().some((p) => p.phase === "done"), 10_000, "the new model's run");
    expect(await app.value<EmbeddingsView>("embeddings.status")).toMatchObject({ model: { location: other.url }, embedded: 80, total: 80 });
    expect(app.progress().filter((p) => p.phase === "stopped").length).toBe(2);
  });

  it("reports a failed run as failed, with its reason in embeddings.status", async () => {
    const server = await embeddingsServer();
    servers.push(server);
    const app = open("fails");
    await app.services.library.index({ folders: [app.notes] });
    await app.value("embeddings.useEndpoint", { baseUrl: server.url, model: "concepts" });
    await waitFor(() => app.progress().find((p) => p.phase === "done"), 10_000, "the first run");
    writeFiles(app.notes, { "new.md": "# New\n\nA new note about cats.\n" });
    await app.services.library.index();
    await server.close();
    await app.value("embeddings.start");
    const failed = await waitFor(() => app.progress().find((p) => p.phase === "failed"), 10_000, "the failure");
    expect(failed).toMatchObject({ model: "concepts", embedded: 2, total: 3 });
    const status = app.statuses().at(-1)!;
    expect(status.error).toMatch(/127\.0\.0\.1/);
    expect(status).toMatchObject({ embedded: 2, total: 3, running: false });
  });
});
