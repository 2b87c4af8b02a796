import type Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import type {
  DocumentStatus,
  EmbeddingProgress,
  EmbeddingStatus,
  EmbedSummary,
  FileStatus,
  FolderStatus,
  IndexProgress,
  IndexSummary,
  LibraryChange,
  SearchHit,
  SearchMode,
  SearchResult,
} from "../../shared/library.js";
import { openDatabase, withDbErrors, type OpenOptions } from "./db.js";
import { describeSqliteError, LibraryError } from "./errors.js";
import { createIgnoreRules, DEFAULT_MAX_FILE_BYTES, normalizePatterns } from "./ignore-rules.js";
import { formatOf } from "./ingest/formats.js";
import { createIngestPool, type IngestPool } from "./ingest/pool.js";
import type { NoteTextResult } from "./ingest/worker.js";
import { Indexer, type Work } from "./indexer.js";
import { inRealFolder, scanFolder, scanRoot, statFile, toRelative } from "./scan.js";
import { fuse } from "./fusion.js";
import { clampK, Searcher, type SearchOptions } from "./search.js";
import { Store, type SourceRow } from "./store.js";
import type { EmbedderConfig, EmbedderFactory } from "./vectors/embedder.js";
import { Embeddings, type EmbedOptions } from "./vectors/embeddings.js";
import { SEMANTIC_FLOOR, VectorIndex } from "./vectors/vector-index.js";
import { FolderWatcher } from "./watch.js";
import { isInside } from "../path-inside.js";

export interface LibraryOptions extends OpenOptions {
  /** Worker threads for parsing; defaults to the number of cores. */
  threads?: number;
  /** Opens embedding models (main/services.ts gives the local and remote ones); without it, search is lexical. */
  embedders?: EmbedderFactory;
}

export interface QueryOptions extends SearchOptions {
  /** "auto" (the default): hybrid where the library's embedding model has vectors, else lexical. */
  mode?: SearchMode | "auto";
  signal?: AbortSignal;
}

/**
 * How deep each retriever's ranking goes before fusion: a chunk ranked 50th by one retriever and
 * 3rd by the other still reaches the top ten, and deeper lists change no top-ten place.
 */
const FUSION_DEPTH = 50;

export interface FolderSettings {
  ignorePatterns?: string[];
  maxFileBytes?: number;
}

export interface WatchHandlers {
  onChange?: (change: LibraryChange) => void;
  onProgress?: (progress: IndexProgress) => void;
  onError?: (error: Error) => void;
  /** Embedding runs after the catch-up and after each batch, where the library has an embedding model. */
  onEmbeddingProgress?: (progress: EmbeddingProgress) => void;
  debounceMs?: number;
  /** Stops the catch-up indexing (see index()); the watcher itself stops with close(). */
  signal?: AbortSignal;
}

export interface IndexOptions {
  folders?: string[];
  onProgress?: (progress: IndexProgress) => void;
  /**
   * Stops the run between files: what was read is kept, the files not read yet keep their old state
   * and are read by the next run, and the run rejects with the abort's reason. close() stops runs too.
   */
  signal?: AbortSignal;
}

/**
 * The knowledge library: watched folders, their indexed documents, and search over them.
 * Index runs and watcher batches go through one queue, so they never interleave.
 */
export class Library {
  private readonly store: Store;
  private readonly searcher: Searcher;
  private readonly indexer: Indexer;
  private readonly vectorIndex: VectorIndex;
  private readonly embeddings: Embeddings;
  /** A background embedding run is queued and has not started: another request adds nothing. */
  private embeddingQueued = false;
  /** While watching (the app), every index run is followed by embedding what it added. */
  private watchHandlers: WatchHandlers | undefined;
  private pool: IngestPool | undefined;
  private watcher: FolderWatcher | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Aborted by close(): a quit never waits for a long index run to finish. */
  private readonly closing = new AbortController();
  /** Aborted by stopEmbedding(), then replaced: it stops the embedding runs started before. */
  private embeddingStop = new AbortController();

  private constructor(
    private readonly db: Database.Database,
    readonly dbPath: string,
    private readonly options: LibraryOptions,
  ) {
    this.store = new Store(db);
    this.searcher = new Searcher(db, this.store);
    // Workers start on first use: a restart with nothing changed never pays for them.
    this.indexer = new Indexer(this.store, () => this.ingestPool());
    this.vectorIndex = new VectorIndex(this.store.vectors);
    this.embeddings = new Embeddings(this.store.vectors, this.vectorIndex, (fn) => this.store.transaction(fn), options.embedders);
  }

  private ingestPool(): IngestPool {
    return (this.pool ??= createIngestPool(this.options.threads));
  }

  /** The connection, for the other stores that live in the same file (conversations). */
  get database(): Database.Database {
    return this.db;
  }

  static open(dbPath: string, options: LibraryOptions = {}): Library {
    const resolved = path.resolve(dbPath);
    return new Library(openDatabase(resolved, options), resolved, options);
  }

  private dbCall<T>(fn: () => T): T {
    return withDbErrors(this.dbPath, fn);
  }

  /** A run stops when its caller aborts it or when the library closes. */
  private stopSignal(signal?: AbortSignal): AbortSignal {
    return signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  folders(): FolderStatus[] {
    return this.dbCall(() => this.store.folderStatus());
  }

  async addFolder(folder: string, settings: FolderSettings = {}): Promise<FolderStatus> {
    const real = resolveFolder(folder);
    const source = this.dbCall(() => {
      const sources = this.store.sources();
      const same = sources.find((s) => s.path === real);
      if (same) {
        if (settings.ignorePatterns || settings.maxFileBytes) this.store.updateSource(applySettings(same, settings));
        return same;
      }
      const outer = sources.find((s) => isInside(real, s.path));
      if (outer) throw new LibraryError("FOLDER_OVERLAPS", `${real} is already in the library, inside ${outer.path}.`);
      const inner = sources.find((s) => isInside(s.path, real));
      if (inner) throw new LibraryError("FOLDER_OVERLAPS", `${real} contains ${inner.path}, which is already in the library. Remove that folder first.`);
      const defaults: SourceRow = { id: 0, path: real, ignorePatterns: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES };
      const { ignorePatterns, maxFileBytes } = applySettings(defaults, settings);
      return this.store.addSource(real, ignorePatterns, maxFileBytes);
    });
    await this.watcher?.add(source.path);
    return this.folders().find((f) => f.path === source.path)!;
  }

  async removeFolder(folder: string): Promise<void> {
    const source = this.sourceFor(folder);
    await this.watcher?.remove(source.path);
    await this.exclusive(async () => {
      this.dbCall(() => this.store.transaction(() => this.store.removeSource(source.id)));
      this.searcher.invalidate();
      this.embeddings.invalidate();
    });
  }

  /** Changes a folder's ignore patterns or size limit and re-indexes it under the new rules. */
  async configureFolder(folder: string, settings: FolderSettings, onProgress?: (p: IndexProgress) => void): Promise<IndexSummary> {
    const source = this.sourceFor(folder);
    this.dbCall(() => this.store.updateSource(applySettings(source, settings)));
    return this.index({ folders: [source.path], onProgress });
  }

  /**
   * Adds the given folders (if any) and brings the index in line with what is on disk: new and
   * changed files are read, deleted ones removed, unchanged ones (same size and mtime) not read.
   */
  async index(options: IndexOptions = {}): Promise<IndexSummary> {
    const started = performance.now();
    const chosen = options.folders?.length ? await Promise.all(options.folders.map((f) => this.addFolder(f))) : this.folders();
    return this.indexFolders(chosen.map((f) => f.path), started, options.onProgress, options.signal);
  }

  /**
   * Brings folders already in the library (all of them by default) in line with the disk. Unlike
   * index(), it never adds one: a folder the library does not have is FOLDER_UNKNOWN.
   */
  async reindex(options: IndexOptions = {}): Promise<IndexSummary> {
    const started = performance.now();
    const paths = options.folders?.length ? options.folders.map((f) => this.sourceFor(f).path) : this.folders().map((f) => f.path);
    return this.indexFolders(paths, started, options.onProgress, options.signal);
  }

  private indexFolders(folders: string[], started: number, onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<IndexSummary> {
    const paths = new Set(folders);
    const stop = this.stopSignal(signal);
    return this.exclusive(async () => {
      stop.throwIfAborted();
      const sources = this.dbCall(() => this.store.sources()).filter((s) => paths.has(s.path));
      onProgress?.({ phase: "scanning", filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
      const work: Work[] = [];
      for (const source of sources) {
        work.push(...(await this.reconcileWork(source, source.path)));
        stop.throwIfAborted();
      }
      const changes = await this.runWork(work, onProgress, stop);
      if (this.watchHandlers && changes.some((c) => c.type === "indexed")) this.embedLater(this.watchHandlers);
      return this.summarize(sources, work, changes, performance.now() - started);
    });
  }

  /** Re-checks changed paths on disk (from the watcher) and indexes what they now hold. */
  applyChanges(paths: string[], onProgress?: (p: IndexProgress) => void): Promise<LibraryChange[]> {
    return this.exclusive(async () => {
      const sources = this.dbCall(() => this.store.sources());
      const work: Work[] = [];
      for (const changed of new Set(paths)) {
        // Folders never nest (addFolder refuses that), so a path belongs to one folder at most.
        const source = sources.find((s) => changed === s.path || isInside(changed, s.path));
        if (source) work.push(...(await this.pathWork(source, changed)));
      }
      return this.runWork(work, onProgress, this.closing.signal);
    });
  }

  /** Indexes what changed while the app was closed, then follows every change as it happens. */
  async watch(handlers: WatchHandlers = {}): Promise<FolderWatcher> {
    if (this.watcher) return this.watcher;
    const watcher = new FolderWatcher({
      debounceMs: handlers.debounceMs,
      onError: handlers.onError,
      onBatch: async (paths) => {
        // A batch cut short by close() is no failure: the next start catches up on it.
        const changes = await this.applyChanges(paths, handlers.onProgress).catch((error: unknown) => {
          if (this.closing.signal.aborted) return [];
          throw error;
        });
        const changed = changes.filter((c) => c.type !== "unchanged");
        for (const change of changed) handlers.onChange?.(change);
        if (changed.length) this.embedLater(handlers);
      },
    });
    this.watcher = watcher;
    this.watchHandlers = handlers;
    // Subscribe before the catch-up scan, so nothing that changes during the scan is missed.
    for (const source of this.dbCall(() => this.store.sources())) await watcher.add(source.path);
    await this.index({ onProgress: handlers.onProgress, signal: handlers.signal });
    this.embedLater(handlers);
    return watcher;
  }

  /** Lexical search (BM25): synchronous, and what every other mode falls back to. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.dbCall(() => this.searcher.search(query, options));
  }

  /**
   * Search in a mode: lexical, semantic (the query's vector against the chunks', the nearest
   * whatever they are), or hybrid (both, fused by weighted RRF, where a chunk only the vectors found
   * must stand SEMANTIC_FLOOR above the library's background). Filters apply to both retrievers.
   * An automatic search whose embedding model cannot be used falls back to lexical and says why in
   * `notice`; a semantic or hybrid one asked for by name fails with the model's error.
   */
  async query(text: string, options: QueryOptions = {}): Promise<SearchResult> {
    const k = clampK(options.k);
    const filters = options.filters ?? {};
    const requested = options.mode ?? "auto";
    const lexical = (notice: string | null): SearchResult => ({ mode: "lexical", hits: this.search(text, { k, filters }), notice });
    if (requested === "lexical" || (requested === "auto" && !this.dbCall(() => this.embeddings.hasVectors()))) return lexical(null);
    if (!text.trim()) return { mode: requested === "auto" ? "hybrid" : requested, hits: [], notice: null };
    let query: Awaited<ReturnType<Embeddings["queryVector"]>>;
    try {
      query = await this.embeddings.queryVector(text, options.signal);
    } catch (error) {
      if (requested !== "auto" || options.signal?.aborted) throw describeSqliteError(error, this.dbPath) ?? error;
      return lexical(`Search fell back to lexical: ${(error as Error).message}`);
    }
    const mode = requested === "auto" ? "hybrid" : requested;
    return this.dbCall(() => {
      const documents = this.searcher.documentIds(filters);
      const semantic = this.vectorIndex.search(query.model, query.vector, { n: mode === "semantic" ? k : Math.max(k, FUSION_DEPTH), documents });
      // A chunk only the vectors found counts in hybrid search where it stands out of the library.
      const weak = new Set(semantic.filter((h) => h.lift < SEMANTIC_FLOOR).map((h) => h.chunkId));
      const ranked =
        mode === "semantic"
          ? semantic.map((h, i) => ({ id: h.chunkId, score: h.score, retrievers: { lexical: null, semantic: i + 1 } }))
          : fuse(this.searcher.lexical(text, Math.max(k, FUSION_DEPTH), filters).map((r) => r.id), semantic.map((h) => h.chunkId), Infinity)
              .filter((r) => r.retrievers.lexical !== null || !weak.has(r.id))
              .slice(0, k);
      return { mode, hits: this.searcher.hits(text, ranked.map((r) => ({ ...r, score: Math.round(r.score * 1e6) / 1e6 }))), notice: null };
    });
  }

  /**
   * Makes this the library's embedding model. Its vectors from an earlier use are used again (the
   * same space, known by its fingerprint); other models' vectors stay, unused.
   */
  async useEmbeddingModel(config: EmbedderConfig, signal?: AbortSignal): Promise<EmbeddingStatus> {
    await this.embeddings.use(config, this.stopSignal(signal)).catch((error: unknown) => {
      throw describeSqliteError(error, this.dbPath) ?? error;
    });
    return this.embeddingStatus();
  }

  /** Embeds every chunk that has no vector of the library's embedding model; stops between batches when aborted. */
  embed(options: EmbedOptions = {}): Promise<EmbedSummary> {
    const signal = AbortSignal.any([this.stopSignal(options.signal), this.embeddingStop.signal]);
    return this.embeddings.run({ ...options, signal }).catch((error: unknown) => {
      throw describeSqliteError(error, this.dbPath) ?? error;
    });
  }

  /**
   * Stops the embedding run in progress and those queued behind it, whoever started them: what
   * they stored stays, and the next change to the notes (while watching) or embed() does the rest.
   */
  stopEmbedding(): void {
    this.embeddingStop.abort();
    this.embeddingStop = new AbortController();
  }

  embeddingStatus(): EmbeddingStatus {
    return this.dbCall(() => this.embeddings.status());
  }

  /** Queues an embedding run behind the one in progress, unless one is queued already; its failures go to onError. */
  private embedLater(handlers: Pick<WatchHandlers, "onEmbeddingProgress" | "onError">): void {
    if (this.embeddingQueued || this.closing.signal.aborted || !this.dbCall(() => this.embeddings.active())) return;
    this.embeddingQueued = true;
    const signal = AbortSignal.any([this.closing.signal, this.embeddingStop.signal]);
    void this.embeddings
      .run({
        signal,
        onProgress: (progress) => {
          this.embeddingQueued = false;
          handlers.onEmbeddingProgress?.(progress);
        },
      })
      .catch((error: unknown) => {
        if (!signal.aborted) handlers.onError?.(error as Error);
      })
      .finally(() => (this.embeddingQueued = false));
  }

  /** The full text of chunks, by id (search hits carry only a snippet). */
  chunkTexts(ids: number[]): Map<number, string> {
    return new Map(this.dbCall(() => this.store.chunksByIds(ids)).map((row) => [row.id, row.text]));
  }

  files(filter: { status?: DocumentStatus; folder?: string } = {}): FileStatus[] {
    const folder = filter.folder === undefined ? undefined : path.resolve(filter.folder);
    return this.dbCall(() => this.store.files({ ...filter, folder }));
  }

  /** The indexed, skipped or failed file at exactly this path; undefined for any path the index does not know. */
  file(filePath: string): FileStatus | undefined {
    return this.dbCall(() => this.store.fileAt(path.resolve(filePath)));
  }

  /**
   * An indexed note's text as the preview shows it, line for line what its chunks were cut from.
   * It is read and converted on a worker: a large HTML page takes seconds.
   */
  async noteText(file: FileStatus): Promise<NoteTextResult> {
    const maxBytes = this.folders().find((f) => f.path === file.folder)?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    return this.ingestPool().noteText({ path: file.path, folder: file.folder, format: file.format, maxBytes });
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.watcher?.close();
    this.watcher = undefined;
    await this.queue;
    await this.embeddings.close();
    await this.pool?.close();
    this.pool = undefined;
    this.db.close();
  }

  private sourceFor(folder: string): SourceRow {
    const resolved = path.resolve(folder);
    const real = fs.existsSync(resolved) ? fs.realpathSync(resolved) : resolved;
    const source = this.dbCall(() => this.store.sources()).find((s) => s.path === real || s.path === resolved);
    if (!source) throw new LibraryError("FOLDER_UNKNOWN", `${resolved} is not a folder of this library.`);
    return source;
  }

  private async runWork(work: Work[], onProgress: ((p: IndexProgress) => void) | undefined, signal: AbortSignal): Promise<LibraryChange[]> {
    try {
      return await this.indexer.run(work, { onProgress, signal });
    } catch (error) {
      throw describeSqliteError(error, this.dbPath) ?? error;
    } finally {
      this.searcher.invalidate();
      this.embeddings.invalidate();
    }
  }

  /** Work that makes the index of `start` (a folder or a sub-folder of it) match the disk. */
  private async reconcileWork(source: SourceRow, start: string): Promise<Work[]> {
    const root = scanRoot(source.path, createIgnoreRules(source.ignorePatterns));
    const known = this.dbCall(() => this.store.documentsOf(source.id));
    const scan = fs.existsSync(start) ? await scanFolder(root, start) : { files: [], problems: [], skipped: [] };
    const work: Work[] = [];
    for (const file of scan.files) {
      work.push({ kind: "file", source, file, known: known.get(file.path) });
      known.delete(file.path);
    }
    for (const problem of scan.problems) {
      work.push({ kind: "failed", source, file: problem, error: problem.error });
      known.delete(problem.path);
    }
    for (const { reason, ...file } of scan.skipped) {
      work.push({ kind: "skipped", source, file, reason });
      known.delete(file.path);
    }
    for (const stale of known.keys()) if (stale === start || isInside(stale, start)) work.push({ kind: "remove", path: stale });
    return work;
  }

  private async pathWork(source: SourceRow, changed: string): Promise<Work[]> {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(changed);
    } catch {
      return [{ kind: "remove", path: changed }];
    }
    const root = scanRoot(source.path, createIgnoreRules(source.ignorePatterns));
    if (changed !== source.path && !inRealFolder(root, changed)) return [{ kind: "remove", path: changed }];
    const rel = toRelative(source.path, changed);
    if (stat.isDirectory()) {
      return rel && root.rules(rel, true) ? [{ kind: "remove", path: changed }] : this.reconcileWork(source, changed);
    }
    const format = formatOf(changed);
    if (!format) return [];
    if (root.rules(rel, false)) return [{ kind: "remove", path: changed }];
    const found = statFile(root, changed, format, stat.isSymbolicLink());
    if (!found) return [{ kind: "remove", path: changed }];
    if ("error" in found) return [{ kind: "failed", source, file: found, error: found.error }];
    if ("reason" in found) {
      const { reason, ...file } = found;
      return [{ kind: "skipped", source, file, reason }];
    }
    return [{ kind: "file", source, file: found, known: this.dbCall(() => this.store.documentAt(changed)) }];
  }

  private summarize(sources: SourceRow[], work: Work[], changes: LibraryChange[], ms: number): IndexSummary {
    const files = sources.flatMap((s) => this.files({ folder: s.path }));
    return {
      files: work.filter((w) => w.kind !== "remove").length,
      indexed: changes.filter((c) => c.type === "indexed").length,
      unchanged: changes.filter((c) => c.type === "unchanged").length,
      chunks: files.reduce((sum, f) => sum + f.chunks, 0),
      skipped: files.filter((f) => f.status === "skipped").map((f) => ({ path: f.path, reason: f.reason ?? "" })),
      failed: files.filter((f) => f.status === "failed").map((f) => ({ path: f.path, error: f.reason ?? "" })),
      ms: Math.round(ms),
    };
  }
}

function resolveFolder(folder: string): string {
  const resolved = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new LibraryError("FOLDER_NOT_FOUND", `There is no folder at ${resolved}.`);
  }
  if (!stat.isDirectory()) throw new LibraryError("FOLDER_NOT_FOUND", `${resolved} is a file, not a folder.`);
  return fs.realpathSync(resolved);
}

function applySettings(source: SourceRow, settings: FolderSettings): SourceRow {
  const maxFileBytes = settings.maxFileBytes ?? source.maxFileBytes;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
    throw new LibraryError("BAD_INPUT", `The size limit must be a positive number of bytes, not ${settings.maxFileBytes}.`);
  }
  return {
    ...source,
    ignorePatterns: settings.ignorePatterns ? normalizePatterns(settings.ignorePatterns) : source.ignorePatterns,
    maxFileBytes,
  };
}
