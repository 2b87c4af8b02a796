import fs from "node:fs";
import path from "node:path";
import { isWebUrl } from "../../shared/web-url.js";
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
  /** What it is for: answering (the grounded protocol, the default) or embedding the library for semantic search. */
  purpose?: "answer" | "embedding";
}

/** Models that speak the grounded protocol, and the embedding model, as single GGUF files on Hugging Face. */
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
  /*
   * The embedding model for semantic search. It must read Russian as well as English: on MTEB's
   * RuBQ retrieval (nDCG@10) bge-m3 scores 71 and multilingual-e5-large 74, where the English-only
   * nomic-embed-text-v1.5 scores 5.5 (the figures of issue 9). bge-m3 (XLM-RoBERTa, 568M
   * parameters, 1024 dimensions, CLS pooling, no prefixes) reads 8,192 tokens, so a whole
   * 4,000-character chunk is embedded, where e5's 512 tokens would cut a long Russian one. Q8_0 of
   * a conversion of BAAI/bge-m3 (rbehzadan/bge-m3-gguf lists bge-m3-Q8_0.gguf at 635 MB).
   */
  {
    id: "bge-m3",
    name: "bge-m3",
    quantization: "Q8_0",
    approxBytes: 6.35e8,
    uri: "hf:rbehzadan/bge-m3-gguf/bge-m3-Q8_0.gguf",
    purpose: "embedding",
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

export interface ResolveOptions {
  /** Whether http(s) URLs are taken. A window may not name one: its status codes would probe the local network for a page. */
  urls?: boolean;
  catalog?: readonly CatalogModel[];
}

function catalogEntry(ref: string, catalog: readonly CatalogModel[]): CatalogModel | undefined {
  return catalog.find((m) => m.id === ref || m.name.toLowerCase() === ref.toLowerCase());
}

/** A catalog id, an hf: URI or (unless `urls` is false) an http(s) URL, to the URI the downloader takes. */
export function resolveModelRef(ref: string, { urls = true, catalog = MODEL_CATALOG }: ResolveOptions = {}): string {
  const known = catalogEntry(ref, catalog);
  if (known) return known.uri;
  if (/^hf:/i.test(ref) || (urls && isWebUrl(ref))) return ref;
  const also = urls ? ", nor an hf: URI or http(s) URL" : " nor an hf: URI";
  throw new LlmError("MODEL_NOT_FOUND", `"${ref}" is not in the catalog (${catalog.map((m) => m.id).join(", ")})${also}.`);
}

/** Room kept free on the disk beyond the model itself: the library and the OS need some too. */
const DISK_MARGIN_BYTES = 512 * 1024 * 1024;
/** How far a catalog model's announced size may stray from the size it was published with. */
const CATALOG_SIZE_TOLERANCE = 0.15;

/**
 * Refuses a download whose announced size does not fit on the disk, or (for a catalog model) is
 * not the size the model was published with; bytes already fetched by a cut-off pull count as done.
 */
function checkRoom(uri: string, known: CatalogModel | undefined, announced: number, dir: string, file: string): void {
  if (known && Math.abs(announced - known.approxBytes) > known.approxBytes * CATALOG_SIZE_TOLERANCE) {
    throw new LlmError("DOWNLOAD_FAILED", `${uri} is announced as ${gb(announced)}, but ${known.name} is about ${gb(known.approxBytes)}; it was not downloaded.`);
  }
  const partial = [file, `${file}.ipull`].reduce((n, f) => (fs.existsSync(f) ? Math.max(n, fs.statSync(f).size) : n), 0);
  const { bavail, bsize } = fs.statfsSync(dir);
  const free = bavail * bsize;
  if (announced - partial + DISK_MARGIN_BYTES > free) {
    throw new LlmError("DOWNLOAD_FAILED", `${uri} needs ${gb(announced - partial)} of disk space, and ${dir} has ${gb(free)} free; nothing was downloaded.`);
  }
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(bytes < 1e9 ? 2 : 1)} GB`;

/**
 * Downloads a model with node-llama-cpp's downloader, skipping a file that is already complete and
 * resuming one that was cut off.
 * The finished file must have the size the server announced and be a GGUF; otherwise it is removed.
 */
export async function pullModel(ref: string, options: PullOptions & ResolveOptions): Promise<string> {
  const uri = resolveModelRef(ref, options);
  const known = catalogEntry(ref, options.catalog ?? MODEL_CATALOG);
  // The announced size is the most that may arrive: a server sending more is cut off there.
  const overrun = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, overrun.signal]) : overrun.signal;
  let announcedBytes = Infinity;
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
      onProgress: ({ downloadedSize, totalSize }) => {
        if (downloadedSize > Math.min(totalSize, announcedBytes)) overrun.abort();
        else options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize });
      },
    }), options.signal, (late) => void late.cancel({ deleteTempFile: true }).catch(() => undefined));
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(uri);
    throw new LlmError("DOWNLOAD_FAILED", `Cannot download ${uri}: ${(error as Error).message}`);
  }
  if (options.signal?.aborted) throw cancelled(uri);
  announcedBytes = downloader.totalSize;
  try {
    checkRoom(uri, known, announcedBytes, options.dir, downloader.entrypointFilePath);
  } catch (error) {
    await downloader.cancel({ deleteTempFile: false }).catch(() => undefined);
    throw error;
  }
  let file: string;
  try {
    file = await downloader.download({ signal });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(uri);
    if (overrun.signal.aborted) throw tooLong(uri, announcedBytes, downloader.entrypointFilePath);
    throw new LlmError("DOWNLOAD_FAILED", `Downloading ${uri} failed: ${(error as Error).message}`);
  }
  if (overrun.signal.aborted) throw tooLong(uri, announcedBytes, file);
  // A cancelled download can resolve as if it had finished.
  if (options.signal?.aborted) throw cancelled(uri);
  const size = fs.existsSync(file) ? dropLateProgressRecord(file, downloader.totalSize) : -1;
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

/** The most that ipull's progress record (a part number and one status a chunk) takes. */
const PROGRESS_RECORD_MAX_BYTES = 64 * 1024;

/**
 * ipull keeps its progress as JSON after the file's last byte and cuts it off when the download
 * ends, but a save it started without waiting can land after that cut (ipull 3.9). A whole file
 * followed by nothing but such a record is cut back to its size rather than thrown away.
 * Returns the file's size after that.
 */
export function dropLateProgressRecord(file: string, totalSize: number): number {
  const size = fs.statSync(file).size;
  if (size <= totalSize || size - totalSize > PROGRESS_RECORD_MAX_BYTES) return size;
  const fd = fs.openSync(file, "r+");
  try {
    const tail = Buffer.alloc(size - totalSize);
    fs.readSync(fd, tail, 0, tail.length, totalSize);
    if (!isProgressRecord(tail.toString("utf8"))) return size;
    fs.ftruncateSync(fd, totalSize);
    return totalSize;
  } finally {
    fs.closeSync(fd);
  }
}

function isProgressRecord(text: string): boolean {
  try {
    const record: unknown = JSON.parse(text);
    return typeof record === "object" && record !== null && Array.isArray((record as { chunks?: unknown }).chunks);
  } catch {
    return false;
  }
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

function tooLong(uri: string, announced: number, file: string): LlmError {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.ipull`, { force: true });
  return new LlmError("DOWNLOAD_FAILED", `${uri} sent more than the ${announced} bytes it announced; the download was stopped and removed.`);
}

function cancelled(uri: string): LlmError {
  return new LlmError("DOWNLOAD_CANCELLED", `The download of ${uri} was cancelled.`);
}
