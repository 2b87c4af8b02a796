import ignore from "ignore";

/** Always ignored: version control, dependencies, editor state, trash, and hidden files. */
export const DEFAULT_IGNORE_PATTERNS = [".*", ".git/", "node_modules/", ".obsidian/", ".trash/"];

/** The default size limit per file: larger files are skipped with a reason, never read. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export type IgnoreRules = (relativePath: string, isDirectory: boolean) => boolean;

/**
 * .gitignore-style rules of one folder; paths are relative to it, with "/" separators. The
 * folder's own patterns are a list of their own, checked after the built-in one: a negation there
 * ("!.*", "!node_modules/") can bring back only what another of its own patterns left out, never a
 * hidden file or node_modules (the patterns come from the window, which shows untrusted notes).
 */
export function createIgnoreRules(patterns: readonly string[]): IgnoreRules {
  const builtIn = ignore().add(DEFAULT_IGNORE_PATTERNS);
  const own = ignore().add([...patterns]);
  return (relativePath, isDirectory) => {
    const subject = isDirectory ? `${relativePath}/` : relativePath;
    return builtIn.ignores(subject) || own.ignores(subject);
  };
}

/** Cleans user input: one pattern a line, blank lines and comments dropped. */
export function normalizePatterns(patterns: readonly string[]): string[] {
  return patterns
    .flatMap((p) => p.split(/\r?\n/))
    .map((p) => p.trimEnd())
    .filter((p) => p.trim() && !p.startsWith("#"));
}
