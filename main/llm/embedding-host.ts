import path from "node:path";
import type { Llama, LlamaEmbeddingContext, LlamaModel, Token } from "node-llama-cpp";
import type { GpuBackend } from "../../shared/llm.js";
import type { Embedder, EmbeddingRole } from "../library/vectors/embedder.js";
import { openLlama } from "./binding.js";
import { embeddingProfile, type EmbeddingProfile } from "./embedding-profile.js";
import { describeLoadFailure, LlmError } from "./errors.js";
import { architectureOf, checkGguf } from "./gguf.js";
import type { SharedLlama } from "./host.js";

export interface LocalEmbedderOptions {
  /** The LLM's GPU setting: the embedding model is offloaded as the answering model is. */
  gpu?: GpuBackend;
  gpuLayers?: "auto" | number;
  /**
   * CPU threads; the physical cores by default, as for the LLM. node-llama-cpp's own default for an
   * embedding context is 6, which on a 2-core machine made a small model about 200× slower.
   */
  threads?: number;
  /**
   * The answering model's Llama (ModelHost.sharedLlama), so the process has one: a second one
   * would take over the native logger. Without it the embedder makes its own (tests, tools).
   */
  llama?: (backend: GpuBackend) => Promise<SharedLlama>;
}

/**
 * The longest input embedded, in tokens, where the model was trained on more. A chunk is at most
 * 4,000 characters (about 1,200 tokens of Russian for XLM-R's vocabulary), and a non-causal model
 * evaluates its whole input in one batch, whose attention buffer grows with the square of it.
 */
const MAX_INPUT_TOKENS = 2048;
/** What a model that does not say what it was trained on is given (BERT's and e5's 512). */
const UNKNOWN_TRAINED_CONTEXT = 512;

interface Loaded {
  /** Its own Llama, disposed with it; undefined for a shared one. */
  ownLlama: Llama | undefined;
  model: LlamaModel;
  context: LlamaEmbeddingContext;
  profile: EmbeddingProfile;
  name: string;
  maxTokens: number;
}

interface Job {
  run: (loaded: Loaded) => Promise<void>;
  fail: (error: unknown) => void;
}

/**
 * One local GGUF embedding model and its one embedding context, loaded on first use. Every text is
 * a job in one queue, evaluated one at a time; a query's jobs go before the passages waiting, so a
 * search during a long embedding run waits for one passage at most.
 */
export class LocalEmbedder implements Embedder {
  readonly kind = "local";
  readonly location: string;
  private loading: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;
  private readonly queries: Job[] = [];
  private readonly passages: Job[] = [];
  private busy = false;
  private closed = false;
  private readonly nativeLog: string[] = [];

  constructor(
    modelPath: string,
    private readonly options: LocalEmbedderOptions = {},
  ) {
    this.location = path.resolve(modelPath);
  }

  async name(): Promise<string> {
    return (await this.load()).name;
  }

  async embed(texts: readonly string[], role: EmbeddingRole, signal?: AbortSignal): Promise<Float32Array[]> {
    const loaded = await this.load();
    const prefix = role === "query" ? loaded.profile.query : loaded.profile.passage;
    return Promise.all(
      texts.map(
        (text) =>
          new Promise<Float32Array>((resolve, reject) => {
            const job: Job = {
              fail: reject,
              run: async ({ context, model, maxTokens }) => {
                if (signal?.aborted) return reject(signal.reason);
                const tokens: Token[] = model.tokenize(prefix + text);
                const embedding = await context.getEmbeddingFor(tokens.length > maxTokens ? tokens.slice(0, maxTokens) : tokens);
                resolve(Float32Array.from(embedding.vector));
              },
            };
            (role === "query" ? this.queries : this.passages).push(job);
            this.pump();
          }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const closed = new LlmError("NO_MODEL", "The embedding model was closed.");
    for (const job of [...this.queries.splice(0), ...this.passages.splice(0)]) job.fail(closed);
    const loading = this.loading;
    this.loading = undefined;
    const loaded = await loading?.catch(() => undefined);
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.ownLlama?.dispose();
  }

  private ownLlama(backend: GpuBackend): Promise<Llama> {
    return openLlama(backend, this.nativeLog);
  }

  private pump(): void {
    if (this.busy) return;
    const job = this.queries.shift() ?? this.passages.shift();
    if (!job) return;
    this.busy = true;
    void this.load()
      .then((loaded) => job.run(loaded))
      .catch((error: unknown) => job.fail(error))
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private load(): Promise<Loaded> {
    if (this.closed) return Promise.reject(new LlmError("NO_MODEL", "The embedding model was closed."));
    // A shared Llama goes when the answering model switches backends, and its models with it.
    if (this.loaded?.model.disposed) this.loading = this.loaded = undefined;
    this.loading ??= this.doLoad().then((loaded) => (this.loaded = loaded));
    return this.loading;
  }

  private async doLoad(): Promise<Loaded> {
    const modelPath = this.location;
    checkGguf(modelPath);
    const backend = this.options.gpu ?? "auto";
    const shared = this.options.llama ? await this.options.llama(backend) : undefined;
    const llama = shared?.llama ?? (await this.ownLlama(backend));
    const nativeLog = () => shared?.nativeLog() ?? this.nativeLog;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath, gpuLayers: this.options.gpuLayers ?? "auto" });
    } catch (error) {
      // As in ModelHost: a Llama whose model failed to load inside llama.cpp cannot be disposed.
      shared?.loadFailed();
      throw describeLoadFailure(error, nativeLog().find((line) => /error|fail|unknown|alloc/i.test(line)) ?? "", await architectureOf(modelPath), modelPath);
    }
    const name = model.fileInfo.metadata.general.name ?? path.basename(modelPath, ".gguf");
    const trained = model.trainContextSize || UNKNOWN_TRAINED_CONTEXT;
    const contextSize = Math.min(trained, MAX_INPUT_TOKENS);
    let context: LlamaEmbeddingContext;
    try {
      if (model.fileInsights.hasEncoder && model.fileInsights.hasDecoder) throw new Error("it is an encoder-decoder model, which makes no embeddings");
      // One batch holds the whole input: a non-causal model (BERT, XLM-R) cannot split it.
      context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads: this.options.threads ?? llama.cpuMathCores });
    } catch (error) {
      await model.dispose();
      if (!shared) await llama.dispose();
      throw new LlmError("LOAD_FAILED", `Could not use ${modelPath} as an embedding model: ${(error as Error).message}`);
    }
    // Room for the BOS and EOS (or CLS and SEP) tokens the context adds, below its size.
    return { ownLlama: shared ? undefined : llama, model, context, name, profile: embeddingProfile(name, path.basename(modelPath)), maxTokens: contextSize - 3 };
  }
}
