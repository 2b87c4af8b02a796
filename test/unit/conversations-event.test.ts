import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventName, Events } from "../../shared/api.js";
import type { ConversationSummary } from "../../shared/chat.js";
import { createApi, type Api } from "../../main/api/api.js";
import { createServices } from "../../main/services.js";
import { RecordingPlatform } from "../fixtures/platform.js";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { tempDir, waitFor, writeFiles } from "../helpers.js";

// Two windows on one API: what the first does to the conversations, the second hears about as
// conversations.changed, although the answers' own events go to the first window only.
const FIRST = 1;
const SECOND = 2;
type Change = Events["conversations.changed"];

describe("conversations.changed", () => {
  let root: string;
  let server: ScriptedServer;
  let api: Api;
  let platform: RecordingPlatform;
  const inbox = new Map<number, Array<{ event: EventName; payload: unknown }>>([
    [FIRST, []],
    [SECOND, []],
  ]);
  const heard = (client: number, event: EventName) => inbox.get(client)!.filter((e) => e.event === event).map((e) => e.payload);
  /** What the second window heard of the conversations since `from` of it. */
  const changes = (from = 0) => (heard(SECOND, "conversations.changed") as Change[]).slice(from);
  const value = async <T>(method: string, input: unknown, client = FIRST): Promise<T> => {
    const result = await api.invoke(method, input, client);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const useEndpoint = (baseUrl: string) => value("settings.set", { remote: { enabled: true, baseUrl, model: "scripted", apiKey: null } });
  const listedBySecond = () => value<ConversationSummary[]>("conversations.list", {}, SECOND);
  /** Asks as the first window and waits for the answer's end, which only the first window hears. */
  const ask = async (question: string) => {
    const ends = () => heard(FIRST, "chat.done").length + heard(FIRST, "chat.error").length;
    const before = ends();
    const asked = await value<{ conversationId: number }>("chat.ask", { question });
    await waitFor(() => ends() > before, 30_000, "the answer's end");
    return asked.conversationId;
  };

  beforeAll(async () => {
    root = fs.realpathSync(tempDir());
    const notes = path.join(root, "notes");
    writeFiles(notes, { "cats.md": "# Cats\n\nCats sleep on warm window sills.\n" });
    server = await startScriptedServer({ relevantDocIds: [0], tokens: ["Cats sleep on sills [1]."], tokensPerSecond: 0 });
    platform = new RecordingPlatform();
    api = createApi({
      services: createServices({ dbPath: path.join(root, "lib.db"), threads: 1 }),
      platform,
      threads: 1,
      emit: (event, payload, clientId) => {
        for (const [client, events] of inbox) if (clientId === undefined || clientId === client) events.push({ event, payload });
      },
    });
    await api.start();
    await useEndpoint(server.url);
    platform.nextFolder = notes;
    await value("library.pickFolder", {});
    await value("library.addFolder", { path: notes });
    await waitFor(() => heard(FIRST, "index.progress").some((p) => (p as Events["index.progress"]).phase === "done"), 20_000, "indexing");
  });
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  it("reaches the other window when a question is asked and answered", async () => {
    const id = await ask("Where do cats sleep?");
    await waitFor(() => changes().length >= 2, 10_000, "the second window to hear");
    expect(changes()).toEqual([
      { conversationId: id, change: "created" },
      { conversationId: id, change: "messages" },
    ]);
    // The answer itself is the first window's alone: without the event the second would not know.
    expect(heard(SECOND, "chat.done")).toEqual([]);
    expect(await listedBySecond()).toMatchObject([{ id, title: "Where do cats sleep?", messageCount: 2 }]);
  });

  it("reaches the other window on a rename, a delete and an import", async () => {
    const [conversation] = await listedBySecond();
    const id = conversation!.id;
    const from = changes().length;
    await value("conversations.rename", { id, title: "Cats and sills" });
    expect(changes(from)).toEqual([{ conversationId: id, change: "renamed" }]);
    expect(await listedBySecond()).toMatchObject([{ id, title: "Cats and sills" }]);

    const transcript = path.join(root, "chat.json");
    platform.nextSavePath = transcript;
    await value("conversations.export", { id, format: "json" });

    await value("conversations.delete", { id });
    expect(changes().at(-1)).toEqual({ conversationId: id, change: "deleted" });
    expect(await listedBySecond()).toEqual([]);

    platform.nextTranscriptFile = transcript;
    const imported = await value<ConversationSummary>("conversations.import", {});
    expect(changes().at(-1)).toEqual({ conversationId: imported.id, change: "created" });
    expect(await listedBySecond()).toMatchObject([{ id: imported.id, title: "Cats and sills", messageCount: 2 }]);
  });

  it("reaches the other window when a failed first answer takes its conversation back", async () => {
    const listed = await listedBySecond();
    const from = changes().length;
    await useEndpoint("http://127.0.0.1:9/v1");
    try {
      const id = await ask("What do cats eat?");
      expect(heard(FIRST, "chat.error")).toMatchObject([{ conversationId: id }]);
      expect(changes(from)).toEqual([
        { conversationId: id, change: "created" },
        { conversationId: id, change: "deleted" },
      ]);
      expect(await listedBySecond()).toEqual(listed);
    } finally {
      await useEndpoint(server.url);
    }
  });
});
