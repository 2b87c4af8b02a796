// What the library needs of an embedding model: a local GGUF (main/llm/embedding-host.ts) or an
// OpenAI-compatible endpoint (main/llm/remote-embeddings.ts) both provide it.

export type EmbeddingRole = "query" | "passage";

export type EmbedderConfig =
  | { kind: "local"; modelPath: string }
  /** apiKey: null sends none, whatever key the front end keeps; left out, the front end's (main/services.ts). */
  | { kind: "remote"; baseUrl: string; model: string; apiKey?: string | null };

export interface Embedder {
  readonly kind: "local" | "remote";
  /** The .gguf file or the endpoint's base URL. */
  readonly location: string;
  /** The model's name: the GGUF's general.name, or the endpoint's model. */
  name(): Promise<string>;
  /**
   * One vector per text, in order, as the model makes them (the role's prefix added, its pooling
   * applied); the library normalizes them. A text too long for the model is cut at its limit.
   */
  embed(texts: readonly string[], role: EmbeddingRole, signal?: AbortSignal): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Opens an embedder for a configuration; the composition root (main/services.ts) provides it. */
export type EmbedderFactory = (config: EmbedderConfig) => Embedder;
