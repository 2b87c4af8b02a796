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
  SearchResult,
} from "../../shared/library.js";
import { openDatabase, withDbErrors, type OpenOptions } from "./db.js";
import { describeSqliteError, LibraryError } from "./errors.js";
import { DEFAULT_MAX_FILE_BYTES } from "./ignore-rules.js";
import { createIngestPool, type IngestPool } from "./ingest/pool.js";
import type { NoteTextResult, PageImageResult } from "./ingest/worker.js";
import { Indexer, type Work } from "./indexer.js";
import { Searcher, type SearchOptions } from "./search.js";
import { Store, type SourceRow } from "./store.js";
import type { EmbedderConfig, EmbedderFactory } from "./vectors/embedder.js";
import { Embeddings, type EmbedOptions } from "./vectors/embeddings.js";
import { VectorIndex } from "./vectors/vector-index.js";
import { runQuery, type QueryOptions } from "./query.js";
import { FolderWatcher } from "./watch.js";
import { pathWork, reconcileWork, type KnownDocuments } from "./work.js";
import { applySettings, resolveFolder, type FolderSettings } from "./folder-settings.js";
import { isInside } from "../path-inside.js";

export type { QueryOptions } from "./query.js";

/** Drawing one PDF page takes well under a second; a page that takes this long is stopped with its worker. */
const PAGE_IMAGE_LIMIT_MS = 30_000;

export interface LibraryOptions extends OpenOptions {
  /** Worker threads for parsing; defaults to the number of cores. */
  threads?: number;
  /** Opens embedding models (main/services.ts gives the local and remote ones); without it, search is lexical. */
  embedders?: EmbedderFactory;
}

export type { FolderSettings } from "./folder-settings.js";

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
        work.push(...(await reconcileWork(this.knownDocuments, source, source.path)));
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
        if (source) work.push(...(await pathWork(this.knownDocuments, source, changed)));
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

  /** Search in a mode: see runQuery. */
  query(text: string, options: QueryOptions = {}): Promise<SearchResult> {
    return runQuery({ searcher: this.searcher, vectorIndex: this.vectorIndex, embeddings: this.embeddings, dbPath: this.dbPath, dbCall: (fn) => this.dbCall(fn) }, text, options);
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
    return this.ingestPool().noteText({ path: file.path, folder: file.folder, format: file.format, maxBytes: this.maxBytesOf(file) });
  }

  /** One page of an indexed PDF drawn `width` pixels wide, on a worker, which is stopped past PAGE_IMAGE_LIMIT_MS. */
  async pageImage(file: FileStatus, page: number, width: number): Promise<PageImageResult> {
    const signal = AbortSignal.timeout(PAGE_IMAGE_LIMIT_MS);
    try {
      return await this.ingestPool().pageImage({ path: file.path, folder: file.folder, maxBytes: this.maxBytesOf(file), page, width }, signal);
    } catch (error) {
      const reason = signal.aborted ? `drawing its page ${page} took more than ${PAGE_IMAGE_LIMIT_MS / 1000} s, and was stopped` : `drawing its page ${page} stopped the reader: ${(error as Error).message}`;
      return { kind: "unreadable", reason };
    }
  }

  private maxBytesOf(file: FileStatus): number {
    return this.folders().find((f) => f.path === file.folder)?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
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

  /** What the index holds of a folder's files, for the planning of work (work.ts). */
  private readonly knownDocuments: KnownDocuments = {
    of: (source) => this.dbCall(() => this.store.documentsOf(source.id)),
    at: (file) => this.dbCall(() => this.store.documentAt(file)),
  };

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
