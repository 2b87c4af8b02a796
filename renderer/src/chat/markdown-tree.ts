// Markdown to a tree of elements, or the reason to show the text as it is instead. Pure, so that it
// runs the same on the main thread and on the worker.
import type { Root } from "hast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { maskComments } from "../../../shared/obsidian-comments.js";
import { MAX_NESTING, MAX_TREE_DEPTH, nestingDepth, treeDepth } from "./markdown-limits.js";
import { remarkObsidian } from "./obsidian-markdown.js";

/** Why a text is shown unformatted: nested too deeply, too long, too slow to parse, or the parser failed. */
export type PlainReason = "deep" | "long" | "slow" | "failed";

export type Formatted = { kind: "tree"; tree: Root } | { kind: "plain"; reason: PlainReason };

// Raw HTML in notes and model output never becomes elements: remark-rehype leaves it out.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype);
// A note shown in the preview is read as Obsidian writes Markdown, too; model output is not.
const obsidianProcessor = unified().use(remarkParse).use(remarkGfm).use(remarkObsidian).use(remarkRehype);

/** Which Markdown a text is written in: CommonMark with GFM, or that with Obsidian's additions. */
export type Dialect = "gfm" | "obsidian";

export const plain = (reason: PlainReason): Formatted => ({ kind: "plain", reason });

/** What can be decided without parsing: too long, or nested too deeply by its line prefixes. */
export function precheck(text: string, maxChars: number): PlainReason | null {
  if (text.length > maxChars) return "long";
  return nestingDepth(text, MAX_NESTING) > MAX_NESTING ? "deep" : null;
}

/** Parses a text that passed precheck. A stack overflow or a tree deeper than the renderer can take is "deep". */
export function parseMarkdown(text: string, dialect: Dialect = "gfm"): Formatted {
  let tree: Root;
  try {
    if (dialect === "obsidian") tree = obsidianProcessor.runSync(obsidianProcessor.parse(maskComments(text)));
    else tree = processor.runSync(processor.parse(text));
  } catch (cause) {
    return plain(cause instanceof RangeError ? "deep" : "failed");
  }
  return treeDepth(tree) > MAX_TREE_DEPTH ? plain("deep") : { kind: "tree", tree };
}
