import fs from "node:fs";
import path from "node:path";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { GpuBackend, LlmStatus, LoadModelOptions, ModelFacts } from "../../shared/llm.js";
import { describeLoadFailure, LlmError } from "./errors.js";
import { answerGrounded, type GroundedBackend, type GroundedOutcome, type GroundedRequest } from "./grounded.js";
import { PromptRenderer } from "./prompt.js";
import { knownTemplateFor } from "./templates.js";

/** Six documents of up to 4k characters, the question and a long answer fit comfortably. */
export const DEFAULT_CONTEXT_SIZE = 16_384;

export interface Session {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  /** The one sequence generations share, so a follow-up can reuse what the last turn evaluated. */
  sequence: LlamaContextSequence;
  /** The model's own chat template, or the known one for a Vikhr file that lacks it. */
  renderer: PromptRenderer;
}

const UNLOADED: LlmStatus = {
  state: "unloaded", backend: null, gpuDevices: [], vram: null, layers: null, contextSize: null,
  threads: null, modelPath: null, model: null, loadProgress: null, error: null,
};

/**
 * Hosts one local GGUF model and its context. Loads, unloads and generations run one at a time
 * on a queue, so two questions asked together never corrupt each other's context.
 */
export class ModelHost implements GroundedBackend {
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
  private nativeLog: string[] = [];

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

  answer(request: GroundedRequest): Promise<GroundedOutcome> {
    return this.run((session) => answerGrounded(session, request));
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
      this.nativeLog = [];
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
      let renderer: PromptRenderer;
      try {
        renderer = rendererFor(model, modelPath);
      } catch (error) {
        await model.dispose();
        throw error;
      }
      const threads = options.threads ?? llama.cpuMathCores;
      let context: LlamaContext;
      try {
        context = await model.createContext({
          contextSize: Math.min(options.contextSize ?? DEFAULT_CONTEXT_SIZE, model.trainContextSize || Infinity),
          threads,
          sequences: 1,
        });
      } catch (error) {
        await model.dispose();
        throw await this.loadFailure(error, modelPath);
      }
      this.session = { llama, model, context, sequence: context.getSequence(), renderer };
      const vram = await llama.getVramState();
      this.setStatus({
        state: "ready",
        backend: llama.gpu || "cpu",
        gpuDevices: await llama.getGpuDeviceNames(),
        vram: vram.total > 0 ? { total: vram.total, used: vram.used } : null,
        layers: { offloaded: model.gpuLayers, total: model.fileInsights.totalLayers },
        contextSize: context.contextSize,
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
    const { getLlama, LlamaLogLevel } = await llamaBinding();
    try {
      this.llama = await getLlama({
        gpu: backend === "cpu" ? false : backend,
        // Prebuilt binaries only: a desktop app must never start compiling or downloading llama.cpp.
        build: "never",
        skipDownload: true,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal || level === LlamaLogLevel.warn) {
            this.nativeLog.push(message.trim());
            if (this.nativeLog.length > 20) this.nativeLog.shift();
          }
        },
      });
    } catch (error) {
      throw unavailable(backend, (error as Error).message);
    }
    // node-llama-cpp falls back to the CPU when the requested GPU backend is missing; an explicit
    // choice must not be silently replaced.
    if (backend !== "auto" && (this.llama.gpu || "cpu") !== backend) {
      const got = this.llama.gpu || "cpu";
      await this.llama.dispose();
      this.llama = undefined;
      throw unavailable(backend, `only ${got} is`);
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

type Binding = typeof NodeLlamaCpp;
let binding: Binding | undefined;

/**
 * node-llama-cpp, loaded on first use: importing it takes a fifth of a second, which the CLI's
 * index, search and status commands (and the app's start) need not pay.
 */
export async function llamaBinding(): Promise<Binding> {
  return (binding ??= await import("node-llama-cpp"));
}

/** The file's architecture, and whether this llama.cpp build knows it; read from the GGUF header. */
async function architectureOf(modelPath: string): Promise<{ name: string; known: boolean } | undefined> {
  try {
    const llamaCpp = await llamaBinding();
    const info = await llamaCpp.readGgufFileInfo(modelPath, { readTensorInfo: false });
    const name = info.metadata.general.architecture as string;
    // The typings declare the architectures as a const enum, which cannot be listed; the module
    // exports it as an object, the list of architectures this llama.cpp build knows.
    const known = Object.values((llamaCpp as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType);
    return { name, known: known.includes(name) };
  } catch {
    return undefined;
  }
}

/**
 * The renderer for the model's chat template. llama.cpp mistakes Vikhr's template for Llama 3's,
 * so the template is rendered here from its source rather than through llama.cpp.
 */
function rendererFor(model: LlamaModel, modelPath: string): PromptRenderer {
  const name = model.fileInfo.metadata.general.name ?? "";
  const template =
    (model.fileInfo.metadata.tokenizer.chat_template as string | undefined) ??
    (knownTemplateFor(name) ?? knownTemplateFor(path.basename(modelPath)))?.template;
  if (!template) {
    throw new LlmError("NO_TEMPLATE", `${modelPath} has no chat template, and it is not a model Sourcebook knows one for (a Vikhr model).`);
  }
  try {
    return new PromptRenderer(template, { bosToken: model.tokens.bosString ?? "", eosToken: model.tokens.eosString ?? "" });
  } catch (error) {
    throw new LlmError("NO_TEMPLATE", `The chat template of ${modelPath} cannot be read: ${(error as Error).message}`);
  }
}

function unavailable(backend: GpuBackend, why: string): LlmError {
  return new LlmError("BACKEND_UNAVAILABLE", `The ${backend} backend is not available on this computer (${why}). Choose "auto" or "cpu".`);
}

/**
 * Refuses a missing file, or one whose fixed header is not a GGUF that llama.cpp reads, before
 * native code ever sees it: given a damaged header, llama.cpp's loader can wait forever.
 */
export function checkGguf(modelPath: string): void {
  let fd: number;
  try {
    if (!fs.statSync(modelPath).isFile()) throw new Error("not a file");
    fd = fs.openSync(modelPath, "r");
  } catch {
    throw new LlmError("MODEL_NOT_FOUND", `There is no model file at ${modelPath}.`);
  }
  const header = Buffer.alloc(24);
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 24, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 4 || header.toString("latin1", 0, 4) !== "GGUF") throw new LlmError("NOT_GGUF", `${modelPath} is not a GGUF model file.`);
  const version = header.readUInt32LE(4);
  const counts = read === 24 ? [header.readBigUInt64LE(8), header.readBigUInt64LE(16)] : [];
  if (read < 24 || (version !== 2 && version !== 3) || counts.some((n) => n > 1_000_000n)) {
    throw new LlmError("NOT_GGUF", `${modelPath} is a damaged GGUF file, or one of a version this app cannot read.`);
  }
}

function modelFacts(model: LlamaModel, modelPath: string): ModelFacts {
  const general = model.fileInfo.metadata.general;
  const fileType = general.file_type;
  return {
    name: general.name ?? path.basename(modelPath, ".gguf"),
    architecture: general.architecture,
    parameters: general.size_label ?? formatCount(parameterCount(model)),
    quantization: fileType === undefined ? null : (binding?.GgufFileType[fileType] ?? String(fileType)),
    fileBytes: fs.statSync(modelPath).size,
    trainedContext: model.trainContextSize || null,
  };
}

function parameterCount(model: LlamaModel): number {
  let total = 0;
  for (const tensor of model.fileInfo.fullTensorInfo ?? model.fileInfo.tensorInfo ?? []) {
    total += tensor.dimensions.reduce<number>((product, d) => product * Number(d), 1);
  }
  return total;
}

function formatCount(n: number): string | null {
  if (!n) return null;
  for (const [unit, size] of [["B", 1e9], ["M", 1e6], ["K", 1e3]] as const) if (n >= size) return `${(n / size).toFixed(n >= size * 10 ? 0 : 1)}${unit}`;
  return String(n);
}
