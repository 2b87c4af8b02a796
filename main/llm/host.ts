import path from "node:path";
import type { Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import type { GpuBackend, LlmStatus, LoadModelOptions } from "../../shared/llm.js";
import { AUTO_CONTEXT } from "../../shared/settings.js";
import { backendUnavailable, openLlama } from "./binding.js";
import { describeLoadFailure, LlmError } from "./errors.js";
import { architectureOf, checkGguf, modelFacts } from "./gguf.js";
import { ChatTemplate } from "./prompt.js";
import type { Session } from "./session.js";
import { knownTemplateFor } from "./templates.js";

export interface SharedLlama {
  llama: Llama;
  loadFailed(): void;
  nativeLog(): string[];
}

/** What node-llama-cpp assumes of a model whose file does not say what context it was trained on. */
const UNKNOWN_TRAINED_CONTEXT = 4096;

const UNLOADED: LlmStatus = {
  state: "unloaded", backend: null, gpuDevices: [], vram: null, layers: null, contextSize: null,
  contextMode: null, threads: null, modelPath: null, model: null, loadProgress: null, error: null,
};

/**
 * Hosts one local GGUF model and its context: its lifecycle and its queue. Loads, unloads and
 * generations run one at a time, so two questions asked together never corrupt each other's context.
 */
export class ModelHost {
  private llama: Llama | undefined;
  private llamaBackend: GpuBackend | undefined;
  /**
   * node-llama-cpp 3.21 keeps the Llama's dispose guard held by a model whose load failed inside
   * llama.cpp, so disposing that Llama would wait forever; such a Llama is dropped, not disposed.
   */
  private llamaStuck = false;
  private session: Session | undefined;
  private current: LlmStatus = UNLOADED;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(status: LlmStatus) => void>();
  /** Filled by the Llama's logger (openLlama): emptied in place, never replaced. */
  private readonly nativeLog: string[] = [];

  status(): LlmStatus {
    return this.current;
  }

  /** Calls listener on every status change (load progress included); returns an unsubscribe. */
  onStatus(listener: (status: LlmStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(options: LoadModelOptions): Promise<LlmStatus> {
    return this.enqueue(() => this.doLoad(options));
  }

  unload(): Promise<void> {
    return this.enqueue(async () => {
      await this.disposeSession();
      this.setStatus(UNLOADED);
    });
  }

  modelName(): string | null {
    return this.current.model?.name ?? null;
  }

  /** Runs a job with the loaded model, after every job queued before it. */
  run<T>(job: (session: Session) => Promise<T>): Promise<T> {
    return this.enqueue(() => {
      if (!this.session) throw new LlmError("NO_MODEL", "No model is loaded. Load a .gguf model first.");
      return job(this.session);
    });
  }

  /**
   * The Llama of a backend, for the embedding model: one Llama per process, since each new one
   * takes over the binding's native logger and disposing one resets it for all. `loadFailed` marks
   * it as holding a model whose load failed (it can then never be disposed), `nativeLog` is what
   * llama.cpp logged lately.
   */
  sharedLlama(backend: GpuBackend): Promise<SharedLlama> {
    return this.enqueue(async () => ({
      llama: await this.llamaFor(backend),
      loadFailed: () => (this.llamaStuck = true),
      nativeLog: () => [...this.nativeLog],
    }));
  }

  async close(): Promise<void> {
    await this.unload();
    await this.dropLlama();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private setStatus(status: LlmStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener(status);
  }

  private async doLoad(options: LoadModelOptions): Promise<LlmStatus> {
    const modelPath = path.resolve(options.modelPath);
    try {
      checkGguf(modelPath);
    } catch (error) {
      // A file refused before loading leaves the model in use, if any, as it was.
      const { code, message } = error as LlmError;
      this.setStatus({ ...this.current, state: this.session ? "ready" : "failed", error: { code, message } });
      throw error;
    }
    try {
      await this.disposeSession();
      this.setStatus({ ...UNLOADED, state: "loading", modelPath, loadProgress: 0 });
      const llama = await this.llamaFor(options.gpu ?? "auto");
      this.nativeLog.length = 0;
      let model: LlamaModel;
      try {
        model = await llama.loadModel({
          modelPath,
          gpuLayers: options.gpuLayers ?? "auto",
          onLoadProgress: (loadProgress) => this.setStatus({ ...this.current, loadProgress }),
        });
      } catch (error) {
        this.llamaStuck = true;
        throw await this.loadFailure(error, modelPath);
      }
      let template: ChatTemplate;
      try {
        template = templateFor(model, modelPath);
      } catch (error) {
        await model.dispose();
        throw error;
      }
      const threads = options.threads ?? llama.cpuMathCores;
      const requested = options.contextSize ?? "auto";
      // A model trained on less than the automatic range gets its own trained size at most; one
      // that does not say gets node-llama-cpp's default for it.
      const trained = model.trainContextSize || UNKNOWN_TRAINED_CONTEXT;
      let context: LlamaContext;
      try {
        context = await model.createContext({
          contextSize: requested === "auto" ? { min: Math.min(AUTO_CONTEXT.min, trained), max: Math.min(AUTO_CONTEXT.max, trained) } : Math.min(requested, model.trainContextSize || Infinity),
          threads,
          sequences: 1,
        });
      } catch (error) {
        await model.dispose();
        throw await this.loadFailure(error, modelPath);
      }
      this.session = { llama, model, context, sequence: context.getSequence(), template };
      const vram = await llama.getVramState();
      this.setStatus({
        state: "ready",
        backend: llama.gpu || "cpu",
        gpuDevices: await llama.getGpuDeviceNames(),
        vram: vram.total > 0 ? { total: vram.total, used: vram.used } : null,
        layers: { offloaded: model.gpuLayers, total: model.fileInsights.totalLayers },
        contextSize: context.contextSize,
        contextMode: requested === "auto" ? "auto" : "fixed",
        threads,
        modelPath,
        model: modelFacts(model, modelPath),
        loadProgress: 1,
        error: null,
      });
    } catch (error) {
      const failure = error instanceof LlmError ? error : new LlmError("LOAD_FAILED", `Could not load ${modelPath}: ${(error as Error).message}`);
      this.setStatus({ ...UNLOADED, state: "failed", modelPath, error: { code: failure.code, message: failure.message } });
      throw failure;
    }
    return this.current;
  }

  /** One Llama per backend: switching backends needs a new binding; switching models does not. */
  private async llamaFor(backend: GpuBackend): Promise<Llama> {
    if (this.llama && this.llamaBackend === backend) return this.llama;
    await this.dropLlama();
    this.llama = await openLlama(backend, this.nativeLog);
    // node-llama-cpp falls back to the CPU when the requested GPU backend is missing; an explicit
    // choice must not be silently replaced.
    if (backend !== "auto" && (this.llama.gpu || "cpu") !== backend) {
      const got = this.llama.gpu || "cpu";
      await this.llama.dispose();
      this.llama = undefined;
      throw backendUnavailable(backend, `only ${got} is`);
    }
    this.llamaBackend = backend;
    return this.llama;
  }

  private async dropLlama(): Promise<void> {
    const llama = this.llama;
    this.llama = undefined;
    this.llamaBackend = undefined;
    if (llama && !this.llamaStuck) await llama.dispose();
    this.llamaStuck = false;
  }

  private async loadFailure(error: unknown, modelPath: string): Promise<LlmError> {
    // llama.cpp's log lines cross from its thread to JavaScript asynchronously, often after the
    // failure itself; a busy machine can hold them back for tens of milliseconds.
    const errorLine = () => this.nativeLog.find((line) => /error|fail|unknown|alloc/i.test(line));
    for (let waited = 0; !errorLine() && waited < 500; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const nativeError = errorLine() ?? "";
    return describeLoadFailure(error, nativeError, await architectureOf(modelPath), modelPath);
  }

  private async disposeSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    await session.context.dispose();
    await session.model.dispose();
  }
}

/**
 * The model's chat template. llama.cpp mistakes Vikhr's template for Llama 3's, so the template is
 * rendered here from its source rather than through llama.cpp.
 */
function templateFor(model: LlamaModel, modelPath: string): ChatTemplate {
  const name = model.fileInfo.metadata.general.name ?? "";
  const template =
    (model.fileInfo.metadata.tokenizer.chat_template as string | undefined) ??
    (knownTemplateFor(name) ?? knownTemplateFor(path.basename(modelPath)))?.template;
  if (!template) {
    throw new LlmError("NO_TEMPLATE", `${modelPath} has no chat template, and it is not a model Sourcebook knows one for (a Vikhr model).`);
  }
  try {
    return new ChatTemplate(template, { bosToken: model.tokens.bosString ?? "", eosToken: model.tokens.eosString ?? "" });
  } catch (error) {
    throw new LlmError("NO_TEMPLATE", `The chat template of ${modelPath} cannot be read: ${(error as Error).message}`);
  }
}

