import fs from "node:fs";
import path from "node:path";
import { userDataDir } from "../paths.js";
import { LlmError } from "./errors.js";
import { llamaBinding } from "./binding.js";
import { checkGguf } from "./gguf.js";

export interface CatalogModel {
  id: string;
  name: string;
  quantization: string;
  /** As published; the download checks the size the server announces. */
  approxBytes: number;
  uri: string;
}

/** Models that speak the grounded protocol, as single GGUF files on Hugging Face. */
export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: "vikhr-nemo-12b",
    name: "Vikhr-Nemo-12B-Instruct-R-21-09-24",
    quantization: "Q4_K_M",
    approxBytes: 7.48e9,
    uri: "hf:QuantFactory/Vikhr-Nemo-12B-Instruct-R-21-09-24-GGUF/Vikhr-Nemo-12B-Instruct-R-21-09-24.Q4_K_M.gguf",
  },
  {
    id: "vikhr-llama3.1-8b",
    name: "Vikhr-Llama3.1-8B-Instruct-R-21-09-24",
    quantization: "Q4_K_M",
    approxBytes: 4.92e9,
    uri: "hf:QuantFactory/Vikhr-Llama3.1-8B-Instruct-R-21-09-24-GGUF/Vikhr-Llama3.1-8B-Instruct-R-21-09-24.Q4_K_M.gguf",
  },
];

/** Models live in the user data folder, next to the library. */
export function modelsDir(dataDir = userDataDir()): string {
  return path.join(dataDir, "models");
}

export interface LocalModel {
  path: string;
  fileName: string;
  bytes: number;
}

export function listModels(dir: string): LocalModel[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".gguf"))
    .map((e) => ({ path: path.join(dir, e.name), fileName: e.name, bytes: fs.statSync(path.join(dir, e.name)).size }))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
}

export interface PullOptions {
  dir: string;
  onProgress?: (progress: { downloadedBytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
}

/** A catalog id, an hf: URI or an http(s) URL, to the URI the downloader takes. */
export function resolveModelRef(ref: string): string {
  const known = MODEL_CATALOG.find((m) => m.id === ref || m.name.toLowerCase() === ref.toLowerCase());
  if (known) return known.uri;
  if (/^(hf:|https?:\/\/)/i.test(ref)) return ref;
  throw new LlmError("MODEL_NOT_FOUND", `"${ref}" is not in the catalog (${MODEL_CATALOG.map((m) => m.id).join(", ")}), nor an hf: URI or http(s) URL.`);
}

/**
 * Downloads a model with node-llama-cpp's downloader, skipping a file that is already complete and
 * resuming one that was cut off.
 * The finished file must have the size the server announced and be a GGUF; otherwise it is removed.
 */
export async function pullModel(ref: string, options: PullOptions): Promise<string> {
  const uri = resolveModelRef(ref);
  fs.mkdirSync(options.dir, { recursive: true });
  const { createModelDownloader } = await llamaBinding();
  let downloader: Awaited<ReturnType<typeof createModelDownloader>>;
  try {
    downloader = await unlessAborted(createModelDownloader({
      modelUri: uri,
      dirPath: options.dir,
      skipExisting: true,
      // A download cut off (the app killed, the connection lost) leaves NAME.gguf.ipull, written in
      // 5 MB chunks, and the next pull resumes from it. A deliberate cancel discards it.
      deleteTempFileOnCancel: true,
      onProgress: ({ downloadedSize, totalSize }) => options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize }),
    }), options.signal, (late) => void late.cancel({ deleteTempFile: true }).catch(() => undefined));
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(uri);
    throw new LlmError("DOWNLOAD_FAILED", `Cannot download ${uri}: ${(error as Error).message}`);
  }
  if (options.signal?.aborted) throw cancelled(uri);
  let file: string;
  try {
    file = await downloader.download({ signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(uri);
    throw new LlmError("DOWNLOAD_FAILED", `Downloading ${uri} failed: ${(error as Error).message}`);
  }
  // A cancelled download can resolve as if it had finished.
  if (options.signal?.aborted) throw cancelled(uri);
  const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
  if (size !== downloader.totalSize) {
    fs.rmSync(file, { force: true });
    throw new LlmError("DOWNLOAD_FAILED", `${uri} arrived with ${size} bytes instead of ${downloader.totalSize}; the file was removed.`);
  }
  try {
    checkGguf(file);
  } catch {
    fs.rmSync(file, { force: true });
    throw new LlmError("NOT_GGUF", `${uri} is not a GGUF model file; the download was removed.`);
  }
  return file;
}

/**
 * Resolving a model URI and asking the server for the file's size do not take a signal, and can
 * keep retrying while a network is unreachable; a cancel during them must still end the pull at
 * once. What arrives after the cancel is handed to `discard`.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, discard: (late: T) => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      work.then(discard, () => undefined);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function cancelled(uri: string): LlmError {
  return new LlmError("DOWNLOAD_CANCELLED", `The download of ${uri} was cancelled.`);
}
