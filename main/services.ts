import path from "node:path";
import { Library, type LibraryOptions } from "./library/library.js";
import { ChatService } from "./chat/chat.js";
import { ConversationStore } from "./chat/conversations.js";
import type { EmbedderFactory } from "./library/vectors/embedder.js";
import { LocalEmbedder } from "./llm/embedding-host.js";
import { ModelHost } from "./llm/host.js";
import { RemoteEmbedder } from "./llm/remote-embeddings.js";
import type { SecretSealer } from "./settings/secrets.js";
import { SettingsStore } from "./settings/store.js";
import { defaultDbPath, ownDbPath } from "./paths.js";

export interface ServicesOptions extends LibraryOptions {
  /** The library database; defaults to the per-user one (SOURCEBOOK_DB overrides it). */
  dbPath?: string;
  /** Seals the endpoint's API key (the app's safeStorage); without one the stored key is not read. */
  sealer?: SecretSealer;
  /** CPU threads for a local embedding model; the physical cores by default. */
  embeddingThreads?: number;
  /** The key for an embeddings endpoint, when the library's embedding model is one (the CLI: --api-key or SOURCEBOOK_API_KEY). */
  embeddingApiKey?: () => string | undefined;
}

export interface Services {
  library: Library;
  /** The local model; loading one is up to the front end. */
  models: ModelHost;
  conversations: ConversationStore;
  /** The person's settings, in the library database: the app's and the CLI's defaults. */
  settings: SettingsStore;
  chat: ChatService;
  close(): Promise<void>;
}

/** The composition root: the desktop shell, the CLI and the tests all build their services here. */
export function createServices(options: ServicesOptions = {}): Services {
  const dbPath = path.resolve(options.dbPath ?? defaultDbPath());
  // The embedding model is offloaded to the GPU as the answering model is (the person's gpu setting,
  // read when the model is opened, after the settings exist).
  // It shares the answering model's Llama: one per process.
  const gpu = () => settings.get().gpu;
  const models = new ModelHost();
  const embedders: EmbedderFactory = (config) =>
    config.kind === "local"
      ? new LocalEmbedder(config.modelPath, { gpu: gpu(), threads: options.embeddingThreads, llama: (backend) => models.sharedLlama(backend) })
      : new RemoteEmbedder({
          baseUrl: config.baseUrl,
          model: config.model,
          // The CLI's flag or environment, else the key the app sealed for this very endpoint.
          apiKey: config.apiKey === null ? undefined : (config.apiKey ?? options.embeddingApiKey?.() ?? settings.embeddingApiKey(config.baseUrl) ?? undefined),
        });
  // A crash or a full disk during the app's very first start can leave its own library.db empty;
  // any other empty file is somebody's, not a library.
  const library = Library.open(dbPath, { acceptEmpty: dbPath === path.resolve(ownDbPath()), embedders, ...options });
  const conversations = new ConversationStore(library.database);
  const settings = new SettingsStore(library.database, options.sealer);
  return {
    library,
    models,
    conversations,
    settings,
    chat: new ChatService(library, models, conversations, settings),
    // The library first: its embedding model lives in the models' Llama.
    close: async () => {
      await library.close();
      await models.close();
    },
  };
}
