// Domain types of the knowledge library, shared by the main process, the CLI and the renderer.

export const DOCUMENT_FORMATS = ["markdown", "text", "html", "pdf", "docx", "epub"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const DOCUMENT_STATUSES = ["indexed", "skipped", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The model reads documents of up to 4k characters, so no chunk is longer. */
export const MAX_CHUNK_CHARS = 4000;

export interface SearchFilters {
  /** Only documents inside this watched folder. */
  folder?: string;
  /** Only documents whose absolute path starts with this prefix. */
  pathPrefix?: string;
  formats?: DocumentFormat[];
  /** Only notes that have every one of these tags (or a tag nested under one: "project" takes "project/alpha"). */
  tags?: string[];
}

export interface SearchHit {
  chunkId: number;
  path: string;
  title: string;
  /** Heading path of the chunk, outermost first, joined with " › ". */
  heading: string;
  format: DocumentFormat;
  lineStart: number;
  lineEnd: number;
  /** The PDF page the passage is on, from 1; null for other formats. */
  page: number | null;
  /** Higher is better (FTS5 bm25, negated). */
  score: number;
  /** A window of the original chunk text with whitespace collapsed. */
  snippet: string;
  /** [start, end) offsets into `snippet` of the words that matched the query. */
  highlights: Array<[number, number]>;
  /** Which retriever found the chunk, and at which rank (from 1); null where one did not. */
  retrievers: Retrievers;
}

export interface Retrievers {
  lexical: number | null;
  semantic: number | null;
}

export const SEARCH_MODES = ["lexical", "semantic", "hybrid"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** A search's hits and how they were found. */
export interface SearchResult {
  /** The mode that ran: "auto" becomes hybrid where the library's embedding model has vectors, else lexical. */
  mode: SearchMode;
  hits: SearchHit[];
  /** Why an automatic search fell back to lexical (the embedding model could not be used), or null. */
  notice: string | null;
}

/** The library's embedding model and how much of the library it covers. */
export interface EmbeddingStatus {
  model: { name: string; kind: "local" | "remote"; location: string; dims: number } | null;
  /** Chunks with a vector of that model, of all chunks. */
  embedded: number;
  total: number;
  running: boolean;
  /** The last run's failure, or the model's, written for people; null when there is none. */
  error: string | null;
}

export interface EmbeddingProgress {
  /** A run reports "embedding" as it goes, then how it ended: done, stopped (by the person, or a quit), or failed (see EmbeddingStatus.error). */
  phase: "embedding" | "done" | "stopped" | "failed";
  model: string;
  embedded: number;
  total: number;
}

/** What an embedding run did: `reused` chunks already had their vector (kept from before, or unchanged since). */
export interface EmbedSummary {
  model: string;
  dims: number;
  chunks: number;
  embedded: number;
  reused: number;
  ms: number;
}

export interface IndexProgress {
  phase: "scanning" | "indexing" | "done";
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface IndexSummary {
  files: number;
  indexed: number;
  unchanged: number;
  chunks: number;
  skipped: Array<{ path: string; reason: string }>;
  failed: Array<{ path: string; error: string }>;
  ms: number;
}

export interface FileStatus {
  path: string;
  folder: string;
  status: DocumentStatus;
  /** Why a file was skipped, or the error that failed it. */
  reason: string | null;
  title: string;
  format: DocumentFormat;
  size: number;
  chunks: number;
}

export interface FolderStatus {
  path: string;
  ignorePatterns: string[];
  maxFileBytes: number;
  indexed: number;
  skipped: number;
  failed: number;
  chunks: number;
}

export interface LibraryChange {
  type: "indexed" | "unchanged" | "removed" | "skipped" | "failed";
  path: string;
  detail?: string;
}
