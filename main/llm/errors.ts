import type { LlmErrorCode } from "../../shared/llm.js";

/** An error of the model host, written for the person using the app. */
export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

const OUT_OF_MEMORY = /out of memory|failed to allocate|cudaMalloc|OutOfDeviceMemory|unable to allocate|insufficient memory|not enough (?:v)?ram/i;

/** Names what a failed load means, using what llama.cpp logged just before it failed. */
export function describeLoadFailure(
  error: unknown,
  nativeLog: string,
  architecture: { name: string; known: boolean } | undefined,
  modelPath: string,
): LlmError {
  const detail = `${(error as Error)?.message ?? error}${nativeLog ? `: ${nativeLog}` : ""}`;
  if (OUT_OF_MEMORY.test(detail)) {
    return new LlmError("OUT_OF_MEMORY", `Not enough memory to load ${modelPath}. Try fewer GPU layers, a smaller context size, or a smaller model.`);
  }
  const unknown = architecture && !architecture.known ? architecture.name : /unknown model architecture: '([^']*)'/.exec(detail)?.[1];
  if (unknown !== undefined) return new LlmError("UNSUPPORTED_ARCHITECTURE", `${modelPath} is a "${unknown}" model, which this version of Sourcebook cannot run.`);
  return new LlmError("LOAD_FAILED", `Could not load ${modelPath}: ${detail}`);
}
