// How much Markdown the app formats, and where it gives up and shows the text as it is. A note or an
// answer is untrusted: remark recurses once per level of nesting, and micromark 4.0.3 copies its
// whole event list each time a block quote or list item closes, so some shapes cost time that
// grows with the square of their length.
//
// Measured in Chromium 156 on a loaded 2-core machine (so the figures are on the slow side), parse
// and render of react-markdown 10 + remark-gfm 4:
// - stack overflow ("Maximum call stack size exceeded"): 1,250 list levels on one line (2,500 nested
//   elements) in a fresh page; about 2,500-3,000 levels of ">"; 12 KB of alternating "*a _"
//   emphasis (inline nesting no line prefix shows). 1,500 nested elements still rendered.
// - time: a list nested one level deeper per line, 1,000 levels (979 KB), 29 s; "> x\n\n" repeated,
//   16 KB 0.5 s, 50 KB 5 s, 200 KB 83 s; "a\n=\n" repeated, 16 KB 0.7 s; "]]]](" repeated, 16 KB
//   1.3 s; every shape at 8 KB 0.2 s or less; plain prose 200 KB 0.4 s, 1 MB 2.3 s (+0.3 s render).
// So nesting is bounded twice (line prefixes before parsing, the parsed tree after), and time by
// size: small texts are parsed at once, larger ones on a worker that is stopped at a deadline.

/** Block quotes and list items inside one another; real notes stay far below this. */
export const MAX_NESTING = 32;

/** Elements inside one another in the parsed tree: about two per list level, plus inline marks. */
export const MAX_TREE_DEPTH = 128;

/** Texts up to this many characters are parsed on the main thread: the worst shape measured took 0.2 s. */
export const SYNC_CHARS = 8 * 1024;

/** Longer texts are parsed on a worker, given up after this long. */
export const WORKER_DEADLINE_MS = 4000;

/** One answer: beyond this it is shown as plain text. */
export const MESSAGE_MAX_CHARS = 200 * 1024;

/** The preview of a whole note. */
export const NOTE_MAX_CHARS = 1024 * 1024;

function isSpace(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

/** Width of a list marker ("-", "*", "+", "1." or "1)") at `at`, with the space after it; 0 when there is none. */
function listMarker(text: string, at: number, end: number): number {
  let i = at;
  if (text[i] === "-" || text[i] === "*" || text[i] === "+") i++;
  else {
    while (i < end && i - at < 9 && text[i]! >= "0" && text[i]! <= "9") i++;
    if (i === at || (text[i] !== "." && text[i] !== ")")) return 0;
    i++;
  }
  return i === end || isSpace(text[i]) ? i - at : 0;
}

/**
 * How deeply block quotes and list items nest, from the start of each line, in one pass and without
 * parsing: ">" and list markers in a line's prefix each open a level, and a list item stays open
 * while the lines after it are indented into its content. It errs towards counting more (a "* * *"
 * rule counts three), never fewer. Lines in fenced code are skipped. Stops early once past `stopAbove`.
 */
export function nestingDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  /** Content columns of the open list items, innermost last. */
  const items: number[] = [];
  let fence: string | null = null;
  let fenceQuotes = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let i = start;
    let column = 0;
    let quotes = 0;
    const skipSpaces = () => {
      while (i < end && isSpace(text[i])) {
        column += text[i] === "\t" ? 4 - (column % 4) : 1;
        i++;
      }
    };
    skipSpaces();
    while (text[i] === ">" && i < end) {
      quotes++;
      i++;
      column = 0;
      skipSpaces();
    }
    if (fence !== null) {
      // Nothing nests in code; it ends at its closing fence, or with the quote it was in.
      if (quotes < fenceQuotes || text.startsWith(fence, i)) fence = null;
    } else {
      // A blank line leaves list items open.
      if (i < end) while (items.length > 0 && items[items.length - 1]! > column) items.pop();
      for (let width = listMarker(text, i, end); width > 0; width = listMarker(text, i, end)) {
        i += width;
        column += width;
        const before = column;
        skipSpaces();
        items.push(column - before > 4 || i === end ? before + 1 : column);
        while (text[i] === ">" && i < end) {
          quotes++;
          i++;
          skipSpaces();
        }
        if (quotes + items.length > stopAbove) return quotes + items.length;
      }
      if (text.startsWith("```", i) || text.startsWith("~~~", i)) {
        fence = text.slice(i, i + 3);
        fenceQuotes = quotes;
      }
      deepest = Math.max(deepest, quotes + items.length);
      if (deepest > stopAbove) return deepest;
    }
    start = end + 1;
  }
  return deepest;
}

interface Parent {
  children?: readonly unknown[];
}

/** The deepest chain of elements inside one another, counted without recursing. */
export function treeDepth(root: Parent): number {
  let deepest = 0;
  const stack: Array<[Parent, number]> = [[root, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) {
      if (typeof child === "object" && child !== null && "children" in child) stack.push([child as Parent, depth + 1]);
    }
  }
  return deepest;
}
