// The contract between the renderer and the main process: every method the renderer may call and
// every event main may push, with zod schemas for the inputs. Inputs are parsed in main on every
// call (the renderer is untrusted: it shows notes and model output); outputs and events are
// produced by main itself, so they carry types only.
import { z } from "zod";
import type { AskResult, Conversation, ConversationSummary } from "./chat.js";
import type { EmbeddingProgress, EmbeddingStatus, FileStatus, FolderStatus, IndexProgress, IndexSummary, LibraryChange, SearchHit, SearchResult } from "./library.js";
import { DOCUMENT_FORMATS, DOCUMENT_STATUSES, SEARCH_MODES } from "./library.js";
import type { LlmStatus } from "./llm.js";
import { GPU_BACKENDS } from "./llm.js";
import type { ErrorCode } from "./errors.js";
import { contextSizeSchema, settingsPatchSchema, type Settings } from "./settings.js";
import { isWebUrl } from "./web-url.js";

import type { EventName, MethodName } from "./api-names.js";

export { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, METHOD_NAMES, type EventName, type MethodName } from "./api-names.js";
export { DEFAULT_SETTINGS, settingsSchema, THEMES, UI_LANGUAGES, type Settings, type SettingsPatch } from "./settings.js";

const none = z.object({}).strict();
const id = z.number().int().positive();
// POSIX, drive-letter and UNC forms: a relative path would resolve against wherever main was started.
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\"), "an absolute path is needed");
const text = (max: number) => z.string().max(max);
const typed = <T>() => z.custom<T>(() => true);

const searchInput = z
  .object({
    query: text(2000),
    limit: z.number().int().min(1).max(200).optional(),
    folder: absolutePath.optional(),
    formats: z.array(z.enum(DOCUMENT_FORMATS)).optional(),
    /** Notes with every one of these tags. */
    tags: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
    /** "auto" by default: hybrid where the library's embedding model has vectors, else lexical. */
    mode: z.enum([...SEARCH_MODES, "auto"]).optional(),
  })
  .strict();

export const TRANSCRIPT_FORMATS = ["md", "html", "json"] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

export interface AppInfo {
  version: string;
  /** The operating system's language, for the "auto" UI language. */
  osLanguage: string;
  platform: string;
  /** No folder has been added yet: the renderer shows the first-run screen. */
  firstRun: boolean;
}

/** A note as the preview pane shows it: Markdown (HTML notes already converted), with line numbers matching the chunks'. */
export interface NoteContent {
  path: string;
  title: string;
  format: (typeof DOCUMENT_FORMATS)[number];
  markdown: string;
  /** A PDF's text: the line where each page starts, page 1 first. */
  pages?: number[];
  /** A Markdown note's [[wikilinks]], by the name written, to the indexed note each leads to. */
  links?: Record<string, string>;
}

/** A PDF page drawn for the preview. */
export interface PageImage {
  path: string;
  page: number;
  /** The document's page count. */
  pages: number;
  width: number;
  height: number;
  /** The page as a PNG, in a data: URL. */
  src: string;
}

export interface CatalogEntry {
  name: string;
  description: string;
  /** Answering, or embedding the library for semantic search; null for a file the catalog does not know. */
  purpose: "answer" | "embedding" | null;
  bytes: number | null;
  /** Where it is on disk once downloaded. */
  path: string | null;
}

/** The library's embedding model as windows see it: an endpoint says whether main holds a key for it, never which. */
export type EmbeddingsView = EmbeddingStatus & { hasApiKey: boolean };

/** A method's input schema, parsed in main on every call, and its output type. */
interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export const methods = {
  "app.info": { input: none, output: typed<AppInfo>() },
  "app.openExternal": { input: z.object({ url: z.string().url().max(8192) }).strict(), output: typed<null>() },

  "settings.get": { input: none, output: typed<Settings>() },
  /** A new endpoint address is confirmed by the person in a native dialog first; a model file only as models.load takes one. */
  "settings.set": { input: settingsPatchSchema, output: typed<Settings>() },

  "library.folders": { input: none, output: typed<FolderStatus[]>() },
  /** Opens the native folder picker; null when the person cancels. */
  "library.pickFolder": { input: none, output: typed<string | null>() },
  "library.addFolder": {
    input: z.object({ path: absolutePath, ignorePatterns: z.array(text(1024)).max(1000).optional() }).strict(),
    output: typed<FolderStatus>(),
  },
  "library.removeFolder": { input: z.object({ path: absolutePath }).strict(), output: typed<null>() },
  "library.configureFolder": {
    input: z
      .object({
        path: absolutePath,
        ignorePatterns: z.array(text(1024)).max(1000).optional(),
        maxFileBytes: z.number().int().positive().optional(),
      })
      .strict(),
    output: typed<IndexSummary>(),
  },
  "library.reindex": { input: z.object({ folders: z.array(absolutePath).max(1000).optional() }).strict(), output: typed<IndexSummary>() },
  "library.files": {
    input: z.object({ status: z.enum(DOCUMENT_STATUSES).optional(), folder: absolutePath.optional() }).strict(),
    output: typed<FileStatus[]>(),
  },

  /** The library's embedding model and how much of the library it covers. */
  "embeddings.status": { input: none, output: typed<EmbeddingsView>() },
  /** A local GGUF becomes the embedding model, as models.load takes a file: picked in the native dialog, or downloaded into the models folder. */
  "embeddings.useModel": { input: z.object({ modelPath: absolutePath }).strict(), output: typed<EmbeddingsView>() },
  /**
   * An OpenAI-compatible /v1/embeddings endpoint becomes the embedding model, once the person has
   * confirmed it in main's own dialog (every note's text goes there). apiKey is write-only, and
   * kept for this endpoint only: a string sets it, null removes it, leaving it out keeps the one there is.
   */
  "embeddings.useEndpoint": {
    input: z
      .object({
        baseUrl: z.string().max(2048).refine(isWebUrl, "an http or https address is needed"),
        model: z.string().trim().min(1).max(256),
        apiKey: z.string().trim().min(1).max(4096).nullable().optional(),
      })
      .strict(),
    output: typed<EmbeddingsView>(),
  },
  /** Embeds what has no vector yet, in the background; progress and the end arrive as embeddings.progress. */
  "embeddings.start": { input: none, output: typed<null>() },
  /** Stops the run in progress, keeping what it stored; the next change to the notes, or embeddings.start, embeds the rest. */
  "embeddings.stop": { input: none, output: typed<null>() },

  "search.query": {
    input: searchInput,
    output: typed<SearchHit[]>(),
  },
  /** search.query's search, with the mode that ran and why an automatic one fell back to lexical. */
  "search.run": { input: searchInput, output: typed<SearchResult>() },

  /** A note inside a library folder, for the preview pane; anything else is refused. */
  "notes.read": { input: z.object({ path: absolutePath }).strict(), output: typed<NoteContent>() },
  /** A page of a PDF in the library, drawn `width` pixels wide (the preview asks for its own width). */
  "notes.pageImage": {
    input: z.object({ path: absolutePath, page: z.number().int().min(1).max(1_000_000), width: z.number().int().min(64).max(4096) }).strict(),
    output: typed<PageImage>(),
  },
  "notes.open": { input: z.object({ path: absolutePath }).strict(), output: typed<null>() },
  "notes.showInFolder": { input: z.object({ path: absolutePath }).strict(), output: typed<null>() },

  /** Starts an answer; its tokens arrive as chat.* events tagged with the returned streamId. */
  "chat.ask": {
    input: z.object({ question: z.string().trim().min(1).max(8000), conversationId: id.optional() }).strict(),
    output: typed<{ streamId: string; conversationId: number }>(),
  },
  /** Asks the conversation's last question again, replacing its answer. */
  "chat.regenerate": { input: z.object({ conversationId: id }).strict(), output: typed<{ streamId: string; conversationId: number }>() },
  "chat.cancel": { input: z.object({ streamId: z.string().min(1).max(100) }).strict(), output: typed<null>() },

  "conversations.list": { input: z.object({ filter: text(500).optional() }).strict(), output: typed<ConversationSummary[]>() },
  "conversations.get": { input: z.object({ id }).strict(), output: typed<Conversation>() },
  "conversations.rename": { input: z.object({ id, title: z.string().trim().min(1).max(500) }).strict(), output: typed<ConversationSummary>() },
  "conversations.delete": { input: z.object({ id }).strict(), output: typed<null>() },
  /** Opens a save dialog and writes the transcript; null when the person cancels. */
  "conversations.export": { input: z.object({ id, format: z.enum(TRANSCRIPT_FORMATS) }).strict(), output: typed<string | null>() },
  /** Opens a file dialog and imports a JSON transcript; null when the person cancels. */
  "conversations.import": { input: none, output: typed<ConversationSummary | null>() },

  "models.status": { input: none, output: typed<LlmStatus>() },
  /** Opens the native file picker for a .gguf; null when the person cancels. */
  "models.pickFile": { input: none, output: typed<string | null>() },
  "models.load": {
    input: z
      .object({
        modelPath: absolutePath,
        gpu: z.enum(GPU_BACKENDS).optional(),
        gpuLayers: z.union([z.literal("auto"), z.number().int().min(0)]).optional(),
        contextSize: contextSizeSchema.optional(),
      })
      .strict(),
    output: typed<LlmStatus>(),
  },
  "models.unload": { input: none, output: typed<LlmStatus>() },
  "models.catalog": { input: none, output: typed<CatalogEntry[]>() },
  /** Starts a download; progress arrives as models.download* events tagged with downloadId. */
  "models.download": { input: z.object({ name: z.string().min(1).max(256) }).strict(), output: typed<{ downloadId: string }>() },
  "models.cancelDownload": { input: z.object({ downloadId: z.string().min(1).max(100) }).strict(), output: typed<null>() },
} as const satisfies Record<MethodName, MethodSpec>;

export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]["input"]>;
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]["output"]>;

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Events main pushes to the renderer: a payload for each of EVENT_NAMES, and no other. */
export type Events = { [E in EventName]: EventPayloads[E] };

interface EventPayloads {
  "index.progress": IndexProgress;
  /** Embedding after indexing, in the background: chunks with a vector of the library's model, of all. */
  "embeddings.progress": EmbeddingProgress;
  /** The embedding model was set, or a run ended: how things stand now. */
  "embeddings.status": EmbeddingsView;
  /** Files indexed, removed, skipped or failed since the last batch (watching or reindexing). */
  "library.changed": { changes: LibraryChange[] };
  "models.status": LlmStatus;
  "models.downloadProgress": { downloadId: string; name: string; downloadedBytes: number; totalBytes: number };
  "models.downloadDone": { downloadId: string; name: string; path: string | null; error: ApiError | null };
  /** The model chose its documents: the ids, and the candidates they index into. */
  "chat.selected": { streamId: string; relevantDocIds: number[] };
  /** New answer text since the last delta, batched about every 30 ms. */
  "chat.delta": { streamId: string; text: string };
  "chat.done": { streamId: string; conversationId: number; result: AskResult };
  "chat.error": { streamId: string; conversationId: number; error: ApiError };
  /** A conversation was created, renamed, deleted or given new messages: every window's list follows it. */
  "conversations.changed": { conversationId: number; change: "created" | "renamed" | "deleted" | "messages" };
  /** The settings as stored after a change, so every window and the shell's menus follow it. */
  "settings.changed": Settings;
  /** The app menu asked for something the renderer does (new chat, focus search…). */
  "menu.command": { command: MenuCommand };
}

export const MENU_COMMANDS = ["newChat", "focusInput", "focusSearch", "stop", "openLibrary", "openModel", "openSettings", "export"] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the preload puts on window.sourcebook, and what the end-to-end bridge imitates. */
export interface SourcebookBridge {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
