// Types of the local model host, shared by the main process, the CLI and the renderer.

import type { LlmErrorCode } from "./errors.js";

export type { LlmErrorCode };

export const GPU_BACKENDS = ["auto", "cuda", "vulkan", "metal", "cpu"] as const;
export type GpuBackend = (typeof GPU_BACKENDS)[number];

export interface ModelFacts {
  name: string;
  architecture: string;
  /** As the file labels it ("12B"), or computed from its tensors. */
  parameters: string | null;
  quantization: string | null;
  fileBytes: number;
  trainedContext: number | null;
}

export interface LlmStatus {
  state: "unloaded" | "loading" | "ready" | "failed";
  /** The backend in use: cpu when no GPU is used. */
  backend: "cpu" | "cuda" | "vulkan" | "metal" | null;
  gpuDevices: string[];
  vram: { total: number; used: number } | null;
  layers: { offloaded: number; total: number } | null;
  /** The context in tokens, as created. */
  contextSize: number | null;
  /** Whether that size was chosen automatically, for the memory left after the model, or fixed. */
  contextMode: "auto" | "fixed" | null;
  threads: number | null;
  modelPath: string | null;
  model: ModelFacts | null;
  /** 0..1 while loading. */
  loadProgress: number | null;
  error: { code: LlmErrorCode; message: string } | null;
}

export interface LoadModelOptions {
  modelPath: string;
  gpu?: GpuBackend;
  /** "auto" fits as many layers as free VRAM allows. */
  gpuLayers?: "auto" | number;
  /** "auto" by default: see AUTO_CONTEXT. A number larger than the model was trained on is lowered to that. */
  contextSize?: "auto" | number;
  /** Defaults to the physical cores: more threads than that made a small model 200× slower. */
  threads?: number;
}
