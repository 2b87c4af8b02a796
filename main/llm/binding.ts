import type * as NodeLlamaCpp from "node-llama-cpp";
import type { Llama } from "node-llama-cpp";
import type { GpuBackend } from "../../shared/llm.js";
import { LlmError } from "./errors.js";

type Binding = typeof NodeLlamaCpp;
let binding: Binding | undefined;

/**
 * node-llama-cpp, loaded on first use: importing it takes a fifth of a second, which the CLI's
 * index, search and status commands (and the app's start) need not pay.
 */
export async function llamaBinding(): Promise<Binding> {
  return (binding ??= await import("node-llama-cpp"));
}

/** The binding if something has loaded it already; for names of its enums, which need no load. */
export function loadedBinding(): Binding | undefined {
  return binding;
}

/** llama.cpp's lines kept to explain a failure: the last warnings and errors are the ones that say why. */
const NATIVE_LOG_LINES = 20;

/**
 * A Llama for the backend from the prebuilt binaries only (a desktop app must never start compiling
 * or downloading llama.cpp), its warnings and errors kept in `log`. BACKEND_UNAVAILABLE when the
 * binaries for that backend cannot start here.
 */
export async function openLlama(backend: GpuBackend, log: string[]): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await llamaBinding();
  try {
    return await getLlama({
      gpu: backend === "cpu" ? false : backend,
      build: "never",
      skipDownload: true,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal || level === LlamaLogLevel.warn) {
          log.push(message.trim());
          if (log.length > NATIVE_LOG_LINES) log.shift();
        }
      },
    });
  } catch (error) {
    throw backendUnavailable(backend, (error as Error).message);
  }
}

export function backendUnavailable(backend: GpuBackend, why: string): LlmError {
  return new LlmError("BACKEND_UNAVAILABLE", `The ${backend} backend is not available on this computer (${why}). Choose "auto" or "cpu".`);
}
