import { MAX_CHUNK_CHARS } from "../../../shared/library.js";

export interface Chunk {
  /** Enclosing headings, outermost first. */
  headingPath: string[];
  text: string;
  /** 1-based, inclusive, in the file the body came from. */
  lineStart: number;
  lineEnd: number;
}

export interface ChunkOptions {
  /** Markdown headings start sections; plain text has none. */
  markdown: boolean;
  /** 1-based line of the file where `body` starts (after front matter). */
  firstLine?: number;
  maxChars?: number;
}

interface Range {
  from: number;
  to: number;
}

interface Section extends Range {
  headingPath: string[];
  /** Where the text after the heading line starts. */
  contentFrom: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d+[.)])[ \t]/;
const SENTENCE_END = /(?<=[.!?…])["'»”)\]]*\s+(?=\S)/g;

/**
 * Splits a document into chunks of at most maxChars: at headings first, then at paragraphs,
 * then at sentences, and only as a last resort inside a sentence. Each chunk keeps its heading
 * path and line range, so a citation can open the exact place.
 */
export function chunkDocument(body: string, options: ChunkOptions): Chunk[] {
  const maxChars = options.maxChars ?? MAX_CHUNK_CHARS;
  const lineStarts = indexLines(body);
  const lineOf = (offset: number) => lineNumberAt(lineStarts, offset) + (options.firstLine ?? 1);

  const chunks: Chunk[] = [];
  const sections = options.markdown ? splitSections(body, lineStarts) : [{ from: 0, to: body.length, contentFrom: 0, headingPath: [] }];
  // A heading with no text of its own (a chapter title before its first subsection) joins the next section.
  let carryFrom: number | undefined;
  sections.forEach((section, i) => {
    const next = sections[i + 1];
    if (next && next.headingPath.length > section.headingPath.length && !body.slice(section.contentFrom, section.to).trim()) {
      carryFrom ??= section.from;
      return;
    }
    const from = carryFrom ?? section.from;
    carryFrom = undefined;
    for (const range of splitRange(body, { from, to: section.to }, maxChars)) {
      const trimmed = trimRange(body, range);
      if (trimmed.to <= trimmed.from) continue;
      chunks.push({
        headingPath: section.headingPath,
        text: body.slice(trimmed.from, trimmed.to),
        lineStart: lineOf(trimmed.from),
        lineEnd: lineOf(trimmed.to - 1),
      });
    }
  });
  return chunks;
}

/** The first heading of a Markdown body, for a title when nothing better names the file. */
export function firstHeading(body: string): string | undefined {
  for (const section of splitSections(body, indexLines(body))) {
    const heading = section.headingPath.at(-1);
    if (heading) return heading;
  }
  return undefined;
}

function indexLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineNumberAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineAt(text: string, starts: number[], i: number): string {
  const end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length;
  const line = text.slice(starts[i], end);
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function cleanHeading(raw: string): string {
  return raw.replace(/\s+/g, " ").trim();
}

function splitSections(body: string, starts: number[]): Section[] {
  const sections: Section[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: Section = { from: 0, to: body.length, contentFrom: 0, headingPath: [] };
  let fence: string | undefined;
  let previous = "";

  const open = (level: number, text: string, from: number, contentFrom: number) => {
    current.to = from;
    if (current.to > current.from) sections.push(current);
    while (stack.length && stack.at(-1)!.level >= level) stack.pop();
    stack.push({ level, text });
    current = { from, to: body.length, contentFrom, headingPath: stack.map((h) => h.text) };
  };

  for (let i = 0; i < starts.length; i++) {
    const line = lineAt(body, starts, i);
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && !line.slice(fenceMatch[0].length).trim()) fence = undefined;
      previous = "";
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      previous = "";
      continue;
    }
    const atx = ATX.exec(line);
    const nextStart = i + 1 < starts.length ? starts[i + 1]! : body.length;
    if (atx) {
      open(atx[1]!.length, cleanHeading(atx[2] ?? ""), starts[i]!, nextStart);
      previous = "";
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && previous.trim() && !LIST_ITEM.test(previous) && !ATX.test(previous)) {
      // The underline turns the paragraph line above it into a heading.
      open(setext[1]![0] === "=" ? 1 : 2, cleanHeading(previous), starts[i - 1]!, nextStart);
      previous = "";
      continue;
    }
    previous = line;
  }
  current.to = body.length;
  if (current.to > current.from || sections.length === 0) sections.push(current);
  return sections;
}

/** Splits a range into balanced pieces of at most maxChars at the coarsest boundaries that work. */
function splitRange(body: string, range: Range, maxChars: number): Range[] {
  if (range.to - range.from <= maxChars) return [range];
  const units = paragraphs(body, range).flatMap((p) => (p.to - p.from <= maxChars ? [p] : sentences(body, p, maxChars)));
  return pack(units, range.to - range.from, maxChars);
}

/** Blank-line separated blocks; a fenced code block stays whole. */
function paragraphs(body: string, range: Range): Range[] {
  const out: Range[] = [];
  let start = range.from;
  let fence: string | undefined;
  let pos = range.from;
  while (pos < range.to) {
    const nl = body.indexOf("\n", pos);
    const end = nl === -1 || nl >= range.to ? range.to : nl + 1;
    const line = body.slice(pos, end).replace(/\r?\n$/, "");
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined;
    } else if (fenceMatch) {
      fence = fenceMatch[1];
    } else if (!line.trim()) {
      if (pos > start) out.push({ from: start, to: pos });
      start = end;
    }
    pos = end;
  }
  if (range.to > start) out.push({ from: start, to: range.to });
  return out.filter((r) => body.slice(r.from, r.to).trim());
}

function sentences(body: string, range: Range, maxChars: number): Range[] {
  const out: Range[] = [];
  const text = body.slice(range.from, range.to);
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    out.push({ from: range.from + start, to: range.from + end });
    start = end;
  }
  out.push({ from: range.from + start, to: range.to });
  return out.flatMap((s) => (s.to - s.from <= maxChars ? [s] : hardSplit(body, s, maxChars)));
}

/** Last resort for a "sentence" longer than a chunk: cut at the last whitespace that fits. */
function hardSplit(body: string, range: Range, maxChars: number): Range[] {
  const out: Range[] = [];
  let from = range.from;
  while (range.to - from > maxChars) {
    let cut = from + maxChars;
    const space = body.lastIndexOf(" ", cut);
    if (space > from + maxChars / 2) cut = space + 1;
    else if (isLowSurrogate(body.charCodeAt(cut))) cut--;
    out.push({ from, to: cut });
    from = cut;
  }
  out.push({ from, to: range.to });
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Greedy packing towards an even size, so a 5k-character section becomes two halves, not 4k + 1k. */
function pack(units: Range[], total: number, maxChars: number): Range[] {
  const target = total / Math.ceil(total / maxChars);
  const out: Range[] = [];
  let current: Range | undefined;
  for (const unit of units) {
    if (current && unit.to - current.from <= maxChars && current.to - current.from < target) {
      current.to = unit.to;
    } else {
      if (current) out.push(current);
      current = { ...unit };
    }
  }
  if (current) out.push(current);
  return out;
}

function trimRange(body: string, range: Range): Range {
  let { from, to } = range;
  while (from < to && /\s/.test(body[from]!)) from++;
  while (to > from && /\s/.test(body[to - 1]!)) to--;
  return { from, to };
}
