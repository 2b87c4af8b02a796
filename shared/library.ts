// Domain types of the knowledge library, shared by the main process, the CLI and the renderer.

export const DOCUMENT_FORMATS = ["markdown", "text", "html"] as const;
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
  /** Higher is better (FTS5 bm25, negated). */
  score: number;
  /** A window of the original chunk text with whitespace collapsed. */
  snippet: string;
  /** [start, end) offsets into `snippet` of the words that matched the query. */
  highlights: Array<[number, number]>;
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
