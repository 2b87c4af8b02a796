import fs from "node:fs";
import path from "node:path";
import type { LlamaModel } from "node-llama-cpp";
import type { ModelFacts } from "../../shared/llm.js";
import { llamaBinding, loadedBinding } from "./binding.js";
import { LlmError } from "./errors.js";

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

/** The file's architecture, and whether this llama.cpp build knows it; read from the GGUF header. */
export async function architectureOf(modelPath: string): Promise<{ name: string; known: boolean } | undefined> {
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

export function modelFacts(model: LlamaModel, modelPath: string): ModelFacts {
  const general = model.fileInfo.metadata.general;
  const fileType = general.file_type;
  return {
    name: general.name ?? path.basename(modelPath, ".gguf"),
    architecture: general.architecture,
    parameters: general.size_label ?? formatCount(parameterCount(model)),
    quantization: fileType === undefined ? null : (loadedBinding()?.GgufFileType[fileType] ?? String(fileType)),
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
