import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type ApiError, type Envelope, type EventName, type Events } from "../../shared/api.js";
import type { Conversation, ConversationSummary } from "../../shared/chat.js";
import type { FolderStatus } from "../../shared/library.js";
import type { LlmStatus } from "../../shared/llm.js";
import { createApi, type Api } from "../../main/api/api.js";
import type { CatalogModel } from "../../main/llm/models.js";
import { DeltaBatcher } from "../../main/api/delta-batcher.js";
import { createServices, type Services } from "../../main/services.js";
import { startModelServer } from "../fixtures/model-server.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

interface Sent {
  event: EventName;
  payload: unknown;
  clientId: number | undefined;
}

interface Opened {
  api: Api;
  services: Services;
  platform: RecordingPlatform;
  events: Sent[];
  call(method: string, input?: unknown, clientId?: number): Promise<Envelope<unknown>>;
  value<T>(method: string, input?: unknown, clientId?: number): Promise<T>;
  failure(method: string, input?: unknown, clientId?: number): Promise<ApiError>;
  /** Payloads of one event, optionally for one stream. */
  of<E extends EventName>(event: E, streamId?: string): Array<Events[E]>;
  sentTo(streamId: string): Array<number | undefined>;
  /** Runs once, synchronously, when the event is emitted: to act at an exact point of a stream. */
  once<E extends EventName>(event: E, act: (payload: Events[E]) => void): void;
}

let root: string;
let notes: string;
let model: string;
const opened: Api[] = [];

function open(db: string, modelsDir = root, catalog?: CatalogModel[]): Opened {
  const services = createServices({ dbPath: path.join(root, db), threads: 1 });
  const platform = new RecordingPlatform();
  const events: Sent[] = [];
  const hooks: Array<{ event: EventName; act: (payload: never) => void }> = [];
  const emit = (event: EventName, payload: unknown, clientId?: number) => {
    events.push({ event, payload, clientId });
    const hook = hooks.findIndex((h) => h.event === event);
    if (hook !== -1) hooks.splice(hook, 1)[0]!.act(payload as never);
  };
  const api = createApi({ services, platform, emit, modelsDir, threads: 1, catalog });
  opened.push(api);
  const call = (method: string, input: unknown = {}, clientId = 1) => api.invoke(method, input, clientId);
  const forStream = (e: Sent, streamId?: string) => streamId === undefined || (e.payload as { streamId?: string }).streamId === streamId;
  return {
    api,
    services,
    platform,
    events,
    call,
    async value<T>(method: string, input?: unknown, clientId?: number) {
      const result = await call(method, input, clientId);
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async failure(method: string, input?: unknown, clientId?: number) {
      const result = await call(method, input, clientId);
      if (result.ok) throw new Error(`${method} succeeded`);
      return result.error;
    },
    of: <E extends EventName>(event: E, streamId?: string) =>
      events.filter((e) => e.event === event && forStream(e, streamId)).map((e) => e.payload as Events[E]),
    once: (event, act) => hooks.push({ event, act }),
    sentTo: (streamId: string) => [...new Set(events.filter((e) => e.event.startsWith("chat.") && forStream(e, streamId)).map((e) => e.clientId))],
  };
}

/** The stream's final event. */
async function finished(app: Opened, streamId: string): Promise<Events["chat.done"] | Events["chat.error"]> {
  const end = await waitFor(() => app.of("chat.done", streamId)[0] ?? app.of("chat.error", streamId)[0], 60_000, `the end of ${streamId}`);
  return end!;
}

beforeAll(() => {
  root = fs.realpathSync(tempDir());
  notes = path.join(root, "notes");
  writeFiles(notes, {
    "cats.md": "---\ntitle: Про кошек\ntags: [pets]\n---\n# Кошки\n\nКошки любят спать на подоконниках.\n\n## Еда\n\nКошки едят рыбу по утрам.\n",
    "garden.html": "<html><head><title>Garden</title></head><body><h1>Garden</h1><p>Tomatoes need plenty of <b>sunlight</b>.</p><h2>Water</h2><p>Water tomatoes in the morning.</p></body></html>",
    "private/secret.md": "# Secret\n\nignored words\n",
  });
  fs.writeFileSync(path.join(root, "outside.md"), "# Outside\n\nnot in the library\n");
  model = writeTinyGguf(path.join(root, "tiny.gguf"), { seed: 1 });
});
afterAll(() => Promise.all(opened.map((api) => api.close())));

describe("DeltaBatcher", () => {
  it("sends what arrives within an interval as one batch, and the rest on flush", async () => {
    const sent: string[][] = [];
    const batcher = new DeltaBatcher<string>((items) => sent.push(items), 20);
    for (const t of ["a", "b", "c"]) batcher.push(t);
    await new Promise((r) => setTimeout(r, 40));
    batcher.push("d");
    batcher.flush();
    batcher.flush();
    expect(sent).toEqual([["a", "b", "c"], ["d"]]);
  });
});

describe("the API", () => {
  let app: Opened;
  let folder: FolderStatus;

  beforeAll(async () => {
    app = open("lib.db");
    await app.api.start();
    expect(await app.value("app.info")).toEqual({ version: "0.0.0-test", osLanguage: "en-US", platform: process.platform, firstRun: true });
    // A window may add only a folder the person chose in the native picker.
    expect(await app.failure("library.addFolder", { path: notes })).toMatchObject({ code: "FORBIDDEN" });
    app.platform.nextFolder = notes;
    expect(await app.value("library.pickFolder")).toBe(notes);
    folder = await app.value<FolderStatus>("library.addFolder", { path: notes, ignorePatterns: ["private/"] });
    await waitFor(() => app.of("index.progress").some((p) => p.phase === "done" && p.filesDone === 2), 20_000, "indexing");
  });

  it("answers unknown methods, bad input and service errors with envelopes, never by throwing", async () => {
    expect(await app.failure("nope.nothing")).toMatchObject({ code: "UNKNOWN_METHOD" });
    expect(await app.failure("toString")).toMatchObject({ code: "UNKNOWN_METHOD" });
    expect(await app.failure("settings.set", { temperature: 5 })).toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("temperature") });
    expect(await app.failure("chat.ask", { question: "   " })).toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("question") });
    expect(await app.failure("library.files", { status: "indexed", extra: 1 })).toMatchObject({ code: "BAD_INPUT" });
    expect(await app.failure("conversations.get", undefined)).toMatchObject({ code: "BAD_INPUT" });
    expect(await app.failure("conversations.get", { id: 999 })).toMatchObject({ code: "NOT_FOUND", message: "There is no conversation 999." });
    app.platform.nextFolder = path.join(root, "missing");
    await app.value("library.pickFolder");
    expect(await app.failure("library.addFolder", { path: path.join(root, "missing") })).toMatchObject({ code: "FOLDER_NOT_FOUND" });
    expect(await app.failure("models.download", { name: "no-such-model" })).toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("opens only web links", async () => {
    expect(await app.failure("app.openExternal", { url: "file:///etc/passwd" })).toMatchObject({ code: "FORBIDDEN" });
    expect(await app.failure("app.openExternal", { url: "javascript:alert(1)" })).toMatchObject({ code: "FORBIDDEN" });
    expect(await app.value("app.openExternal", { url: "https://example.org/a" })).toBeNull();
    expect(app.platform.external).toEqual(["https://example.org/a"]);
  });

  it("adds a folder at once and indexes it in the background, reporting progress", async () => {
    expect(folder).toMatchObject({ path: notes, ignorePatterns: ["private/"] });
    expect(await app.value("app.info")).toMatchObject({ firstRun: false });
    const files = await app.value<Array<{ path: string; status: string }>>("library.files", {});
    expect(files.map((f) => [path.relative(notes, f.path), f.status])).toEqual([["cats.md", "indexed"], ["garden.html", "indexed"]]);
    const hits = await app.value<Array<{ path: string }>>("search.query", { query: "tomatoes", formats: ["html"] });
    expect(hits.map((h) => path.basename(h.path))).toEqual(["garden.html", "garden.html"]);
    app.platform.nextFolder = notes;
    expect(await app.value("library.pickFolder")).toBe(notes);
    expect(await app.value("library.pickFolder")).toBeNull();
  });

  it("reads a note so that a citation's line range is exactly its passage, front matter and HTML included", async () => {
    for (const query of ["едят рыбу", "water tomatoes morning"]) {
      const [hit] = await app.value<Array<{ chunkId: number; path: string; lineStart: number; lineEnd: number }>>("search.query", { query });
      const note = await app.value<{ markdown: string; title: string; format: string }>("notes.read", { path: hit!.path });
      const text = app.services.library.chunkTexts([hit!.chunkId]).get(hit!.chunkId);
      expect(note.markdown.split("\n").slice(hit!.lineStart - 1, hit!.lineEnd).join("\n")).toBe(text);
    }
    const cats = await app.value<{ markdown: string; title: string }>("notes.read", { path: path.join(notes, "cats.md") });
    expect(cats.title).toBe("Про кошек");
    expect(cats.markdown).not.toContain("tags:");
    expect(cats.markdown.split("\n")[4]).toBe("# Кошки");
    const garden = await app.value<{ markdown: string; format: string }>("notes.read", { path: path.join(notes, "garden.html") });
    expect(garden).toMatchObject({ format: "html", markdown: expect.stringContaining("**sunlight**") });
    expect(garden.markdown).not.toContain("<p>");
  });

  it("refuses paths the index does not know: outside the folders, escapes, ignored files", async () => {
    const forbidden = [path.join(root, "outside.md"), `${notes}/../outside.md`, `${notes}/../../etc/passwd`, "/etc/passwd", model];
    for (const p of forbidden) {
      for (const method of ["notes.read", "notes.open", "notes.showInFolder"]) expect(await app.failure(method, { path: p })).toMatchObject({ code: "FORBIDDEN" });
    }
    for (const p of forbidden) expect(await app.failure("notes.pageImage", { path: p, page: 1, width: 600 })).toMatchObject({ code: "FORBIDDEN" });
    // Only a PDF's pages are drawn, at a sane size.
    const cats = path.join(notes, "cats.md");
    expect(await app.failure("notes.pageImage", { path: cats, page: 1, width: 600 })).toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("is not a PDF") });
    for (const bad of [{ page: 0, width: 600 }, { page: 1, width: 100_000 }, { page: 1.5, width: 600 }, { page: 1 }]) {
      expect(await app.failure("notes.pageImage", { path: cats, ...bad })).toMatchObject({ code: "BAD_INPUT" });
    }
    // A relative path would resolve against wherever main was started: it is not even accepted.
    for (const p of ["relative.md", "./notes", "C:notes"]) expect(await app.failure("notes.read", { path: p })).toMatchObject({ code: "BAD_INPUT" });
    for (const p of [path.join(notes, "private/secret.md"), path.join(notes, "nothing.md"), `${notes}/private/../missing.md`]) {
      expect(await app.failure("notes.read", { path: p })).toMatchObject({ code: "NOT_FOUND" });
      expect(await app.failure("notes.open", { path: p })).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(app.platform.opened).toEqual([]);
    expect(app.platform.shown).toEqual([]);
    await app.value("notes.open", { path: `${notes}/private/../cats.md` });
    await app.value("notes.showInFolder", { path: path.join(notes, "garden.html") });
    expect(app.platform.opened).toEqual([path.join(notes, "cats.md")]);
    expect(app.platform.shown).toEqual([path.join(notes, "garden.html")]);
  });

  it("says NO_MODEL for a question when no model is loaded, and creates nothing", async () => {
    expect(await app.failure("chat.ask", { question: "Где спят кошки?" })).toMatchObject({ code: "NO_MODEL" });
    expect(await app.value("conversations.list", {})).toEqual([]);
  });

  describe("with the tiny model", () => {
    let status: LlmStatus;
    beforeAll(async () => {
      // Only a file chosen in the native picker, one in the models folder or the one loaded may be loaded.
      const elsewhere = writeTinyGguf(path.join(tempDir(), "elsewhere.gguf"), { seed: 1 });
      expect(await app.failure("models.load", { modelPath: elsewhere, gpu: "cpu" })).toMatchObject({ code: "FORBIDDEN" });
      app.platform.nextModelFile = elsewhere;
      await app.value("models.pickFile");
      expect(await app.value<LlmStatus>("models.load", { modelPath: elsewhere, gpu: "cpu", contextSize: 4096 })).toMatchObject({ state: "ready" });
      status = await app.value<LlmStatus>("models.load", { modelPath: model, gpu: "cpu", contextSize: 4096 });
    });

    it("loads with the settings' defaults and remembers the model for the next start", async () => {
      expect(status).toMatchObject({ state: "ready", backend: "cpu", contextSize: 4096, threads: 1, modelPath: model });
      expect(await app.value("settings.get")).toMatchObject({ modelPath: model });
      expect(app.events.filter((e) => e.event === "settings.changed").at(-1)).toMatchObject({ payload: { modelPath: model }, clientId: undefined });
      expect(app.of("models.status").at(-1)).toMatchObject({ state: "ready" });
      const catalog = await app.value<Array<{ name: string; path: string | null; purpose: string | null }>>("models.catalog");
      expect(catalog.map((c) => c.name)).toEqual(["vikhr-nemo-12b", "vikhr-llama3.1-8b", "bge-m3", "tiny.gguf"]);
      expect(catalog.map((c) => c.purpose)).toEqual(["answer", "answer", "embedding", null]);
      expect(catalog[3]!.path).toBe(model);
    });

    it("streams an answer in batched deltas to the asking window only, then the result", async () => {
      const { streamId, conversationId } = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" }, 7);
      // The conversation exists before the answer does.
      expect(await app.value("conversations.list", {})).toMatchObject([{ id: conversationId, title: "Где спят кошки?", messageCount: 0 }]);
      const done = (await finished(app, streamId)) as Events["chat.done"];
      expect(done).toMatchObject({ conversationId, result: { refused: false, stopped: false } });
      expect(app.sentTo(streamId)).toEqual([7]);
      const kinds = app.events.filter((e) => (e.payload as { streamId?: string }).streamId === streamId).map((e) => e.event);
      expect(kinds[0]).toBe("chat.selected");
      expect(kinds.at(-1)).toBe("chat.done");
      expect(app.of("chat.selected", streamId)).toEqual([{ streamId, relevantDocIds: done.result.relevantDocIds }]);
      const deltas = app.of("chat.delta", streamId).map((d) => d.text);
      expect(deltas.join("")).toBe(done.result.answer);
      // Batched: fewer messages than generated tokens, and never the whole text at once unless it is short.
      expect(deltas.length).toBeGreaterThan(0);
      expect(deltas.length).toBeLessThan(done.result.tokens.generated);
      const stored = await app.value<Conversation>("conversations.get", { id: conversationId });
      expect(stored.messages.map((m) => m.content)).toEqual(["Где спят кошки?", done.result.answer]);
      expect(stored.messages[1]!.answer!.settings).toMatchObject({ k: DEFAULT_SETTINGS.documentsPerQuestion, temperature: DEFAULT_SETTINGS.temperature, topK: DEFAULT_SETTINGS.topK });
    });

    it("refuses a question the notes do not answer, through the same events", async () => {
      const { streamId } = await app.value<{ streamId: string }>("chat.ask", { question: "quantum chromodynamics" });
      expect(await finished(app, streamId)).toMatchObject({ result: { refused: true, answer: "Your notes do not answer this question." } });
    });

    it("stops an answer on cancel, as a stopped answer; another window cannot cancel it", async () => {
      // Cancelled the moment the model has chosen its documents: the answer has not begun.
      app.once("chat.selected", ({ streamId }) => {
        void app.call("chat.cancel", { streamId }, 4);
        void app.call("chat.cancel", { streamId }, 3);
      });
      const { streamId, conversationId } = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" }, 3);
      const done = (await finished(app, streamId)) as Events["chat.done"];
      expect(done.result.stopped).toBe(true);
      expect(app.of("chat.delta", streamId).map((d) => d.text).join("")).toBe(done.result.answer);
      const stored = await app.value<Conversation>("conversations.get", { id: conversationId });
      expect(stored.messages[1]!.answer!.stopped).toBe(true);
      // Cancelling a stream that has ended is harmless.
      expect(await app.value("chat.cancel", { streamId }, 3)).toBeNull();
    });

    it("aborts a window's answers when the window goes away", async () => {
      app.once("chat.selected", () => app.api.clientGone(9));
      const { streamId } = await app.value<{ streamId: string }>("chat.ask", { question: "Кошки едят рыбу?" }, 9);
      expect(await finished(app, streamId)).toMatchObject({ result: { stopped: true } });
    });

    it("regenerates the last answer, asking its question again in place", async () => {
      const first = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" });
      await finished(app, first.streamId);
      const again = await app.value<{ streamId: string; conversationId: number }>("chat.regenerate", { conversationId: first.conversationId });
      expect(again.conversationId).toBe(first.conversationId);
      expect(again.streamId).not.toBe(first.streamId);
      const done = (await finished(app, again.streamId)) as Events["chat.done"];
      const stored = await app.value<Conversation>("conversations.get", { id: first.conversationId });
      expect(stored.messages.map((m) => m.content)).toEqual(["Где спят кошки?", done.result.answer]);

      // A retry that fails (here: an endpoint nobody answers on) keeps the answer it was to replace.
      await app.value("settings.set", { remote: { enabled: true, baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKey: null } });
      try {
        const failed = await app.value<{ streamId: string }>("chat.regenerate", { conversationId: first.conversationId });
        expect(await finished(app, failed.streamId)).toMatchObject({ error: { code: "REMOTE_FAILED" } });
      } finally {
        await app.value("settings.set", { remote: null });
      }
      expect(await app.value<Conversation>("conversations.get", { id: first.conversationId })).toEqual(stored);
    });

    it("exports a conversation through the save dialog and imports the JSON back", async () => {
      const [latest] = await app.value<ConversationSummary[]>("conversations.list", { filter: "кошки" });
      const conversation = await app.value<Conversation>("conversations.get", { id: latest!.id });
      // Cancelled dialogs write and import nothing.
      expect(await app.value("conversations.export", { id: latest!.id, format: "md" })).toBeNull();
      expect(await app.value("conversations.import")).toBeNull();
      for (const format of ["md", "html", "json"] as const) {
        const target = path.join(root, `export.${format}`);
        app.platform.nextSavePath = target;
        expect(await app.value("conversations.export", { id: latest!.id, format })).toBe(target);
        expect(fs.readFileSync(target, "utf8")).toContain("Где спят кошки?");
      }
      // The title as a file name: "?" cannot be in one on Windows.
      expect(app.platform.saveDialogs.map((d) => d.defaultName)).toEqual(["Где спят кошки.md", "Где спят кошки.md", "Где спят кошки.html", "Где спят кошки.json"]);
      app.platform.nextTranscriptFile = path.join(root, "export.json");
      const imported = await app.value<ConversationSummary>("conversations.import");
      expect(imported.id).not.toBe(latest!.id);
      const back = await app.value<Conversation>("conversations.get", { id: imported.id });
      expect(back.messages.map((m) => [m.role, m.content, m.answer?.citations])).toEqual(conversation.messages.map((m) => [m.role, m.content, m.answer?.citations]));
      app.platform.nextTranscriptFile = path.join(root, "export.md");
      expect(await app.failure("conversations.import")).toMatchObject({ code: "BAD_INPUT" });

      // A file that cannot be written says which and why; the rename into place is what fails when
      // a folder has the name, and the temporary file beside it goes away.
      const missing = path.join(root, "missing", "export.md");
      app.platform.nextSavePath = missing;
      expect(await app.failure("conversations.export", { id: latest!.id, format: "md" })).toEqual({ code: "WRITE_FAILED", message: `${missing} could not be saved: the folder does not exist.` });
      const taken = path.join(root, "exports", "taken.md");
      fs.mkdirSync(taken, { recursive: true });
      app.platform.nextSavePath = taken;
      expect(await app.failure("conversations.export", { id: latest!.id, format: "md" })).toEqual({ code: "WRITE_FAILED", message: `${taken} could not be saved: a folder has that name.` });
      expect(fs.readdirSync(path.dirname(taken))).toEqual(["taken.md"]);
      // An existing file is replaced whole.
      app.platform.nextSavePath = path.join(root, "export.json");
      expect(await app.value("conversations.export", { id: latest!.id, format: "md" })).toBe(path.join(root, "export.json"));
      expect(fs.readFileSync(path.join(root, "export.json"), "utf8")).toBe(fs.readFileSync(path.join(root, "export.md"), "utf8"));
    });

    it("renames and deletes conversations", async () => {
      const [latest] = await app.value<ConversationSummary[]>("conversations.list", {});
      expect(await app.value("conversations.rename", { id: latest!.id, title: "Коты" })).toMatchObject({ title: "Коты" });
      expect(await app.value("conversations.delete", { id: latest!.id })).toBeNull();
      expect(await app.failure("conversations.delete", { id: latest!.id })).toMatchObject({ code: "NOT_FOUND" });
    });
  });

  it("reports files edited on disk as library.changed, batched", async () => {
    const before = app.of("library.changed").length;
    fs.writeFileSync(path.join(notes, "cats.md"), "# Кошки\n\nКошки любят гулять по крышам.\n");
    fs.writeFileSync(path.join(notes, "dogs.md"), "# Собаки\n\nСобаки любят гулять.\n");
    await waitFor(() => app.of("library.changed").slice(before).flatMap((c) => c.changes).length >= 2, 20_000, "library.changed");
    const changes = app.of("library.changed").slice(before).flatMap((c) => c.changes);
    expect(changes.map((c) => [path.basename(c.path), c.type]).sort()).toEqual([["cats.md", "indexed"], ["dogs.md", "indexed"]]);
    expect(app.events.find((e) => e.event === "library.changed")!.clientId).toBeUndefined();
    expect((await app.value<unknown[]>("search.query", { query: "крышам" })).length).toBe(1);
  });
});

describe("through a remote endpoint", () => {
  it("answers without a local model, and a stop keeps the partial answer", async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `слово${i} `);
    const server = await startScriptedServer({ relevantDocIds: [0], tokens, tokensPerSecond: 0 });
    try {
      const app = open("remote.db");
      // Set up as the CLI would: a window may only re-index folders already in the library.
      await app.services.library.index({ folders: [notes] });
      await app.value("settings.set", { remote: { enabled: true, baseUrl: server.url, model: "scripted", apiKey: null } });
      const first = await app.value<{ streamId: string }>("chat.ask", { question: "Где спят кошки?" }, 2);
      const done = (await finished(app, first.streamId)) as Events["chat.done"];
      expect(done.result).toMatchObject({ answer: tokens.join(""), refused: false, relevantDocIds: [0], stopped: false });
      expect(app.of("chat.delta", first.streamId).map((d) => d.text).join("")).toBe(tokens.join(""));
      expect(app.of("chat.delta", first.streamId).length).toBeLessThan(tokens.length);

      // Half the answer, then the "model" waits: the stop lands part-way however late it comes.
      server.script = { relevantDocIds: [0], tokens, tokensPerSecond: 50, holdAfter: 30 };
      app.once("chat.delta", ({ streamId }) => void app.call("chat.cancel", { streamId }, 2));
      const second = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" }, 2);
      const stopped = (await finished(app, second.streamId)) as Events["chat.done"];
      expect(stopped.result.stopped).toBe(true);
      expect(stopped.result.answer.length).toBeGreaterThan(0);
      expect(tokens.join("").startsWith(stopped.result.answer)).toBe(true);
      expect(stopped.result.answer.length).toBeLessThan(tokens.join("").length);
      const stored = await app.value<Conversation>("conversations.get", { id: second.conversationId });
      expect(stored.messages[1]).toMatchObject({ content: stopped.result.answer, answer: { stopped: true, model: "scripted" } });
    } finally {
      await server.close();
    }
  });
});

describe("regenerating and failing through a remote endpoint", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `слово${i} `);
  let fast: ScriptedServer;
  let slow: ScriptedServer;
  beforeAll(async () => {
    fast = await startScriptedServer({ relevantDocIds: [0], tokens: ["a complete ", "answer"], tokensPerSecond: 0 });
    // Half its answer, then it waits for release(): it ends only after what a test lets end first.
    slow = await startScriptedServer({ relevantDocIds: [0], tokens: words(20), tokensPerSecond: 40, holdAfter: 10 });
  });
  afterAll(() => Promise.all([fast.close(), slow.close()]));

  async function remoteApp(db: string): Promise<Opened & { use(url: string): Promise<unknown> }> {
    const app = open(db);
    await app.services.library.index({ folders: [notes] });
    return { ...app, use: (baseUrl: string) => app.value("settings.set", { remote: { enabled: true, baseUrl, model: "scripted", apiKey: null } }) };
  }

  it("replaces the answer it was asked to, in place, even when a question asked meanwhile ends first", async () => {
    const app = await remoteApp("regenerate.db");
    await app.use(fast.url);
    const first = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" });
    await finished(app, first.streamId);
    const { conversationId } = first;
    await app.use(slow.url);
    const again = await app.value<{ streamId: string }>("chat.regenerate", { conversationId });
    await app.use(fast.url);
    const second = await app.value<{ streamId: string }>("chat.ask", { question: "Что едят кошки?", conversationId });
    await finished(app, second.streamId);
    // The retry streams and waits for release(): only then can it end.
    await waitFor(() => app.of("chat.delta", again.streamId).length > 0, 20_000, "the retry to stream");
    expect(app.of("chat.done", again.streamId)).toEqual([]);
    const before = await app.value<Conversation>("conversations.get", { id: conversationId });

    slow.release();
    expect(await finished(app, again.streamId)).toMatchObject({ conversationId, result: { answer: words(20).join(""), stopped: false } });
    const after = await app.value<Conversation>("conversations.get", { id: conversationId });
    expect(after.messages.map((m) => m.content)).toEqual(["Где спят кошки?", words(20).join(""), "Что едят кошки?", "a complete answer"]);
    expect(after.messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));
    expect(after.messages.slice(2)).toEqual(before.messages.slice(2));
  });

  it("keeps the answer when a retry is stopped or its window goes away, and stores nothing for an answer deleted meanwhile", async () => {
    const app = await remoteApp("regenerate-stopped.db");
    await app.use(fast.url);
    const first = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" }, 5);
    await finished(app, first.streamId);
    const { conversationId } = first;
    const stored = await app.value<Conversation>("conversations.get", { id: conversationId });
    await app.use(slow.url);

    app.once("chat.delta", ({ streamId }) => void app.call("chat.cancel", { streamId }, 5));
    const stopped = await app.value<{ streamId: string }>("chat.regenerate", { conversationId }, 5);
    // The window still hears how the retry ended.
    expect(await finished(app, stopped.streamId)).toMatchObject({ conversationId, result: { stopped: true } });
    app.once("chat.delta", () => app.api.clientGone(5));
    const gone = await app.value<{ streamId: string }>("chat.regenerate", { conversationId }, 5);
    expect(await finished(app, gone.streamId)).toMatchObject({ result: { stopped: true } });
    expect(await app.value<Conversation>("conversations.get", { id: conversationId })).toEqual(stored);

    app.once("chat.delta", () => {
      app.services.conversations.delete(conversationId);
      slow.release();
    });
    const lost = await app.value<{ streamId: string }>("chat.regenerate", { conversationId });
    expect(await finished(app, lost.streamId)).toMatchObject({ conversationId, error: { code: "NOT_FOUND", message: expect.stringContaining("deleted meanwhile") } });
    expect(await app.value("conversations.list", {})).toEqual([]);
  });

  it("takes back the conversation that a failed first answer started, but not one with answers", async () => {
    const app = await remoteApp("failed.db");
    await app.use("http://127.0.0.1:9/v1");
    const asked = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" });
    expect(await finished(app, asked.streamId)).toMatchObject({ conversationId: asked.conversationId, error: { code: "REMOTE_FAILED" } });
    expect(await app.value("conversations.list", {})).toEqual([]);

    await app.use(fast.url);
    const first = await app.value<{ streamId: string; conversationId: number }>("chat.ask", { question: "Где спят кошки?" });
    await finished(app, first.streamId);
    await app.use("http://127.0.0.1:9/v1");
    const followUp = await app.value<{ streamId: string }>("chat.ask", { question: "Что едят кошки?", conversationId: first.conversationId });
    expect(await finished(app, followUp.streamId)).toMatchObject({ error: { code: "REMOTE_FAILED" } });
    expect(await app.value("conversations.list", {})).toMatchObject([{ id: first.conversationId, messageCount: 2 }]);
  });
});

describe("model downloads", () => {
  let server: Awaited<ReturnType<typeof startModelServer>>;
  let base: string;
  beforeAll(async () => {
    // Serves the tiny model in pieces, slowly for /slow.gguf, so a download can be cancelled half way.
    const bytes = fs.readFileSync(model);
    server = await startModelServer((url) => ({ bytes, intervalMs: url === "/slow.gguf" ? 100 : 1 }));
    base = server.base;
  });
  afterAll(() => server.close());

  it("download into the models folder with progress to every window, and can be cancelled", async () => {
    const dir = path.join(root, "models");
    const size = fs.statSync(model).size;
    const entry = (id: string) => ({ id, name: id, quantization: "F32", approxBytes: size, uri: `${base}/${id}.gguf` });
    const app = open("download.db", dir, [entry("fast"), entry("slow")]);
    const name = "fast";
    const { downloadId } = await app.value<{ downloadId: string }>("models.download", { name }, 5);
    const done = await waitFor(() => app.of("models.downloadDone")[0], 20_000, "the download's end");
    expect(done).toEqual({ downloadId, name, path: path.join(dir, "fast.gguf"), error: null });
    const progress = app.events.filter((e) => e.event === "models.downloadProgress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.clientId === undefined)).toBe(true);
    expect(progress.at(-1)!.payload).toMatchObject({ downloadId, name, downloadedBytes: fs.statSync(model).size, totalBytes: fs.statSync(model).size });

    app.once("models.downloadProgress", (p) => void app.call("models.cancelDownload", { downloadId: p.downloadId }));
    const slow = await app.value<{ downloadId: string }>("models.download", { name: "slow" });
    const cancelled = await waitFor(() => app.of("models.downloadDone").find((d) => d.downloadId === slow.downloadId), 20_000, "the cancel");
    expect(cancelled).toMatchObject({ path: null, error: { code: "DOWNLOAD_CANCELLED" } });
    expect(fs.readdirSync(dir)).toEqual(["fast.gguf"]);
  });
});

describe("settings", () => {
  it("round-trip, validate the whole, and persist across a restart, which loads the remembered model", async () => {
    const first = open("settings.db");
    expect(await first.value("settings.get")).toEqual(DEFAULT_SETTINGS);
    first.platform.nextModelFile = model;
    await first.value("models.pickFile");
    expect(await first.value("settings.set", { theme: "dark", temperature: 0.1, modelPath: model })).toEqual({ ...DEFAULT_SETTINGS, theme: "dark", temperature: 0.1, modelPath: model });
    const remote = { enabled: true, baseUrl: "http://localhost:8080/v1", model: "m" };
    expect(await first.value("settings.set", { remote })).toMatchObject({ theme: "dark", remote });
    expect(await first.failure("settings.set", { remote: { ...remote, baseUrl: "file:///etc" } })).toMatchObject({ code: "BAD_INPUT" });
    expect(await first.failure("settings.set", { language: "de" })).toMatchObject({ code: "BAD_INPUT" });
    // Every window (and the shell's menus) hears of each stored change; a refused one is not news.
    const changes = first.events.filter((e) => e.event === "settings.changed");
    expect(changes.map((e) => e.clientId)).toEqual([undefined, undefined]);
    expect(changes.at(-1)!.payload).toMatchObject({ theme: "dark", remote });
    await first.api.close();

    const again = open("settings.db");
    // An endpoint stored without a context size gets the default one.
    expect(await again.value("settings.get")).toEqual({
      ...DEFAULT_SETTINGS,
      theme: "dark",
      temperature: 0.1,
      modelPath: model,
      remote: { ...remote, contextSize: 8192, hasApiKey: false, apiKeySaved: false },
    });
    await again.api.start();
    await waitFor(() => again.of("models.status").some((s) => s.state === "ready"), 30_000, "the remembered model");
    expect(await again.value("models.status")).toMatchObject({ state: "ready", modelPath: model, threads: 1 });
    expect(await again.value("models.unload")).toMatchObject({ state: "unloaded" });
    expect(await again.value("settings.get")).toMatchObject({ modelPath: null });
    expect(again.events.filter((e) => e.event === "settings.changed")).toMatchObject([{ payload: { modelPath: null }, clientId: undefined }]);
  });

  it("starts even when the remembered model is gone, showing the failure in the status", async () => {
    // Remembered by an earlier run, whose file has gone since.
    open("gone.db").services.settings.set({ modelPath: path.join(root, "gone.gguf") });
    const first = open("gone.db");
    await first.api.start();
    await waitFor(() => first.of("models.status").some((s) => s.state === "failed"), 10_000, "the failed status");
    expect(await first.value("models.status")).toMatchObject({ state: "failed", error: { code: "MODEL_NOT_FOUND" } });
  });
});
