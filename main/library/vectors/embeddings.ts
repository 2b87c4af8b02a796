import type { EmbeddingProgress, EmbeddingStatus, EmbedSummary } from "../../../shared/library.js";
import { LlmError } from "../../llm/errors.js";
import type { Embedder, EmbedderConfig, EmbedderFactory } from "./embedder.js";
import { dot, normalize, toCode, toInt8 } from "./quantize.js";
import type { VectorIndex } from "./vector-index.js";
import type { EmbeddingModelRow, NewVector, VectorStore } from "./vector-store.js";

/**
 * Chunks embedded between commits. Each commit is a point a killed run resumes from; a local model
 * embeds one text at a time anyway, and an endpoint gets the whole batch in one request.
 */
export const EMBED_BATCH = 32;

/** The text every model embeds once: its vector is the fingerprint of the model's space. */
export const PROBE_TEXT = "Sourcebook fingerprint: a note about symlink loops, the iOS configuration folder and git rebase. Заметка о символических ссылках.";
/**
 * How close a model's probe must come to the stored one to be the same space. The same weights on
 * another backend (CPU, CUDA, a server) differ in the last digits; another model, or another
 * quantization of it, differs far more.
 */
const SAME_SPACE = 0.99;

export interface EmbedOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EmbeddingProgress) => void;
}

/**
 * The library's embedding model and its vectors: which space is active, embedding what has no
 * vector yet (after indexing, in batches, each committed, so a killed run resumes and a stopped one
 * keeps what it did), and the query's vector. Runs are one at a time; search never waits for one.
 */
export class Embeddings {
  private embedder: Embedder | undefined;
  /** The open embedder checked against the active space, or being checked; one at a time. */
  private readying: { modelId: number; ready: Promise<{ model: EmbeddingModelRow; embedder: Embedder }> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;
  private lastError: string | null = null;
  private vectorCount: number | undefined;

  constructor(
    private readonly vectors: VectorStore,
    private readonly index: VectorIndex,
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly factory: EmbedderFactory | undefined,
  ) {}

  active(): EmbeddingModelRow | undefined {
    return this.vectors.active();
  }

  /** Whether search can be semantic: the active space has vectors. */
  hasVectors(): boolean {
    const model = this.active();
    if (!model) return false;
    this.vectorCount ??= this.vectors.countVectors(model.id);
    return this.vectorCount > 0;
  }

  /** Chunks or vectors were written or removed: counts are read again, and the loaded codes follow. */
  invalidate(): void {
    this.vectorCount = undefined;
    this.index.written();
  }

  status(): EmbeddingStatus {
    const model = this.active();
    return {
      model: model ? { name: model.name, kind: model.kind, location: model.location, dims: model.dims } : null,
      embedded: model ? this.vectors.countVectors(model.id) : 0,
      total: this.vectors.countChunks(),
      running: this.running > 0,
      error: this.lastError,
    };
  }

  /**
   * Makes this model the library's: its space is the one it made before, if its fingerprint
   * matches one (a switch back re-embeds nothing), else a new one. The space it replaces keeps its
   * vectors, so a switch back costs nothing; any older one is deleted with its vectors (at 1024
   * dimensions, about 1.5 KB a chunk that would otherwise never be used again).
   */
  use(config: EmbedderConfig, signal?: AbortSignal): Promise<EmbeddingModelRow> {
    return this.exclusive(async () => {
      const embedder = this.open(config);
      try {
        const probe = await this.probe(embedder, signal);
        const name = await embedder.name();
        const same = this.vectors.models().find((m) => m.name === name && m.dims === probe.length && dot(m.probe, probe) >= SAME_SPACE);
        const id = same?.id ?? this.vectors.addModel(name, embedder.kind, embedder.location, probe);
        const replaced = this.active()?.id;
        this.transaction(() => {
          this.vectors.activate(id, embedder.kind, embedder.location);
          if (replaced !== id) this.vectors.dropModelsExcept(replaced === undefined ? [id] : [id, replaced]);
        });
        await this.replaceEmbedder(embedder);
        this.readying = { modelId: id, ready: Promise.resolve({ model: this.active()!, embedder }) };
        this.lastError = null;
        this.invalidate();
        return this.active()!;
      } catch (error) {
        if (embedder !== this.embedder) await embedder.close();
        throw error;
      }
    });
  }

  /** Embeds every chunk that has no vector in the active space. */
  run(options: EmbedOptions = {}): Promise<EmbedSummary> {
    return this.exclusive(async () => {
      this.running++;
      let end: EmbeddingProgress["phase"] = "failed";
      try {
        const summary = await this.embedMissing(options);
        this.lastError = null;
        end = "done";
        return summary;
      } catch (error) {
        if (options.signal?.aborted) end = "stopped";
        else this.lastError = (error as Error).message;
        throw error;
      } finally {
        this.running--;
        // After the count: whoever hears of the end finds the status as it now is.
        const model = this.active();
        options.onProgress?.({ phase: end, model: model?.name ?? "", embedded: model ? this.vectors.countVectors(model.id) : 0, total: this.vectors.countChunks() });
      }
    });
  }

  /** The query's vector in the active space. */
  async queryVector(text: string, signal?: AbortSignal): Promise<{ model: EmbeddingModelRow; vector: Float32Array }> {
    const { embedder, model: checked } = await this.ready(signal);
    // Read again: the first run gives the space its center after the check.
    const model = this.active()?.id === checked.id ? this.active()! : checked;
    const [vector] = await embedder.embed([text], "query", signal);
    return { model, vector: this.checked(vector, model, embedder) };
  }

  async close(): Promise<void> {
    await this.queue;
    await this.replaceEmbedder(undefined);
  }

  private async embedMissing({ signal, onProgress }: EmbedOptions): Promise<EmbedSummary> {
    const started = performance.now();
    const ready = await this.ready(signal);
    let model = ready.model;
    const { embedder } = ready;
    const total = this.vectors.countChunks();
    let reused = total - this.vectors.countPending(model.id);
    let embedded = 0;
    const report = (phase: EmbeddingProgress["phase"]) => onProgress?.({ phase, model: model.name, embedded: reused + embedded, total });
    report("embedding");
    for (let after = 0; ; ) {
      signal?.throwIfAborted();
      const pending = this.vectors.pending(model.id, after, EMBED_BATCH);
      if (!pending.length) break;
      after = pending.at(-1)!.chunkId;
      const batch = this.transaction(() => this.vectors.reuseReleased(model.id, pending));
      reused += pending.length - batch.length;
      if (pending.length > batch.length) this.invalidate();
      if (!batch.length) continue;
      const made = await embedder.embed(batch.map((c) => c.input), "passage", signal);
      if (made.length !== batch.length) throw this.mismatch(embedder, `returned ${made.length} vectors for ${batch.length} texts`);
      const unit = made.map((v) => this.checked(v, model, embedder));
      if (!model.center) {
        this.vectors.setCenter(model.id, mean(unit));
        model = this.active()!;
      }
      const rows: NewVector[] = batch.map((chunk, i) => ({ chunkId: chunk.chunkId, hash: chunk.hash, code: toCode(unit[i]!, model.center), ...toInt8(unit[i]!) }));
      embedded += this.transaction(() => this.vectors.insert(model.id, rows));
      this.invalidate();
      report("embedding");
    }
    this.transaction(() => this.vectors.clearReleased());
    return { model: model.name, dims: model.dims, chunks: total, embedded, reused, ms: Math.round(performance.now() - started) };
  }

  /** The active space and an embedder checked to make it (once per embedder: a probe). */
  private ready(signal?: AbortSignal): Promise<{ model: EmbeddingModelRow; embedder: Embedder }> {
    const model = this.active();
    if (!model) {
      return Promise.reject(
        new LlmError("NO_EMBEDDING_MODEL", "This library has no embedding model yet: set one with `sourcebook embed --model FILE.gguf` (or --endpoint URL --model-name N)."),
      );
    }
    if (this.readying?.modelId !== model.id) {
      const ready = this.check(model, signal);
      this.readying = { modelId: model.id, ready };
      // A model that failed is tried again on the next call: its file may have been put right.
      ready.catch(() => {
        if (this.readying?.ready === ready) this.readying = undefined;
      });
    }
    return this.readying.ready;
  }

  private async check(model: EmbeddingModelRow, signal?: AbortSignal): Promise<{ model: EmbeddingModelRow; embedder: Embedder }> {
    const config: EmbedderConfig = model.kind === "local" ? { kind: "local", modelPath: model.location } : { kind: "remote", baseUrl: model.location, model: model.name };
    await this.replaceEmbedder(this.open(config));
    const embedder = this.embedder!;
    const probe = await this.probe(embedder, signal);
    if (probe.length !== model.dims || dot(probe, model.probe) < SAME_SPACE) {
      throw new LlmError(
        "EMBEDDING_MISMATCH",
        `The embedding model at ${model.location} is no longer the one this library's vectors were made with (${model.name}, ${model.dims} dimensions${probe.length !== model.dims ? `; it now makes ${probe.length}` : ""}). Run \`sourcebook embed\` with it to embed the library again.`,
      );
    }
    return { model, embedder };
  }

  private open(config: EmbedderConfig): Embedder {
    if (!this.factory) throw new LlmError("NO_EMBEDDING_MODEL", "This library was opened without embedding models.");
    return this.factory(config);
  }

  private async probe(embedder: Embedder, signal?: AbortSignal): Promise<Float32Array> {
    const [probe] = await embedder.embed([PROBE_TEXT], "passage", signal);
    if (!probe?.length || !probe.every(Number.isFinite)) throw this.mismatch(embedder, "returned no usable vector");
    return normalize(Float32Array.from(probe));
  }

  private checked(vector: Float32Array | undefined, model: EmbeddingModelRow, embedder: Embedder): Float32Array {
    if (!vector || vector.length !== model.dims) {
      throw new LlmError(
        "EMBEDDING_MISMATCH",
        `${embedder.location} returned ${vector?.length ?? 0}-dimensional vectors, but this library's vectors of ${model.name} have ${model.dims}. Run \`sourcebook embed\` with the model you mean to use.`,
      );
    }
    if (!vector.every(Number.isFinite)) throw this.mismatch(embedder, "returned a vector that is not all numbers");
    return normalize(Float32Array.from(vector));
  }

  private mismatch(embedder: Embedder, what: string): LlmError {
    return new LlmError("EMBEDDING_MISMATCH", `The embedding model at ${embedder.location} ${what}.`);
  }

  private async replaceEmbedder(next: Embedder | undefined): Promise<void> {
    const previous = this.embedder;
    this.embedder = next;
    this.readying = undefined;
    if (previous && previous !== next) await previous.close();
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function mean(vectors: readonly Float32Array[]): Float32Array {
  const center = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) center[i]! += v[i]! / vectors.length;
  return center;
}

