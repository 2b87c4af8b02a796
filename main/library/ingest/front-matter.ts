import { parse } from "yaml";

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line number in the file where the body starts. */
  bodyLine: number;
}

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Splits YAML front matter off a Markdown or HTML file. A block that is not a YAML mapping is
 * not front matter (a Markdown file may well start with a thematic break), so it stays in the body.
 */
export function splitFrontMatter(text: string): FrontMatter {
  const none = { data: {}, body: text, bodyLine: 1 };
  const open = OPEN.exec(text);
  if (!open) return none;
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) return none;
  let data: unknown;
  try {
    data = parse(rest.slice(0, close.index), { maxAliasCount: 100 });
  } catch {
    return none;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return none;
  let bodyStart = open[0].length + close.index + close[0].length;
  if (text[bodyStart] === "\r") bodyStart++;
  if (text[bodyStart] === "\n") bodyStart++;
  const bodyLine = countLines(text, bodyStart) + 1;
  return { data: data as Record<string, unknown>, body: text.slice(bodyStart), bodyLine };
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The title field of front matter, if it is a non-empty string or number. */
export function frontMatterTitle(data: Record<string, unknown>): string | undefined {
  const title = data.title;
  if (typeof title === "string" && title.trim()) return title.trim();
  if (typeof title === "number") return String(title);
  return undefined;
}
