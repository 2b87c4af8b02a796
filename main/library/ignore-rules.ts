import ignore from "ignore";

/** Always ignored: version control, dependencies, editor state, trash, and hidden files. */
export const DEFAULT_IGNORE_PATTERNS = [".*", ".git/", "node_modules/", ".obsidian/", ".trash/"];

/** The default size limit per file: larger files are skipped with a reason, never read. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export type IgnoreRules = (relativePath: string, isDirectory: boolean) => boolean;

/** .gitignore-style rules of one folder; paths are relative to it, with "/" separators. */
export function createIgnoreRules(patterns: readonly string[]): IgnoreRules {
  const ig = ignore().add([...DEFAULT_IGNORE_PATTERNS, ...patterns]);
  return (relativePath, isDirectory) => ig.ignores(isDirectory ? `${relativePath}/` : relativePath);
}

/** Cleans user input: one pattern a line, blank lines and comments dropped. */
export function normalizePatterns(patterns: readonly string[]): string[] {
  return patterns
    .flatMap((p) => p.split(/\r?\n/))
    .map((p) => p.trimEnd())
    .filter((p) => p.trim() && !p.startsWith("#"));
}
