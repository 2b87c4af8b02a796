// A transcript as Markdown (CommonMark with GFM footnotes). Questions, titles, notes' text and refusal
// messages are plain text and are escaped character by character; answers are the model's Markdown and
// keep it, but may not reach outside their place: their headings go below the transcript's, an
// unclosed code fence is closed, and footnotes and raw HTML are escaped.
import type { Citation, Conversation, SourceRef, StoredMessage } from "../../shared/chat.js";
import { answerFacts, exchanges, fileUrl, formatDate, lineRange, sourceLabel } from "./transcript-parts.js";

export function renderMarkdown(conversation: Conversation): string {
  const pairs = exchanges(conversation.messages);
  const parts = [
    `# ${escapeInline(conversation.title)}`,
    `*${pairs.length === 1 ? "1 question" : `${pairs.length} questions`} · started ${formatDate(conversation.createdAt)} · exported from Sourcebook*`,
  ];
  let footnotes = 0;
  pairs.forEach(({ question, answer }, i) => {
    parts.push(`## Question ${i + 1}`, quote(escapeBlock(question.content)));
    const a = answer.answer!;
    if (a.refused) {
      parts.push("**Not in your notes**", escapeBlock(answer.content));
      if (a.candidates.length) {
        parts.push("Closest matches, not used:", a.candidates.map((c, n) => `${n + 1}. ${sourceLink(c)} — *not used*`).join("\n"));
      }
    } else {
      parts.push("**Answer**", answerMarkdown(answer.content));
      if (a.stopped) parts.push("*Stopped: the answer is partial.*");
      if (a.citations.length) {
        const numbers = a.citations.map(() => ++footnotes);
        parts.push(`Sources: ${numbers.map((n) => `[^${n}]`).join(" ")}`);
        parts.push(...a.citations.map((c, k) => footnote(numbers[k]!, c)));
      }
    }
    parts.push(facts(answer));
  });
  return `${parts.join("\n\n")}\n`;
}

function facts(answer: StoredMessage): string {
  return `*${escapeInline(`${formatDate(answer.createdAt)} · ${answerFacts(answer)}`)}*`;
}

function sourceLink(ref: SourceRef): string {
  return `[${escapeInline(sourceLabel(ref))}](${fileUrl(ref.path)}) · ${lineRange(ref)} · ${escapeInline(ref.path)}`;
}

/** A footnote with the passage as it was cited, indented so that it stays inside the footnote. */
function footnote(n: number, citation: Citation): string {
  const head = `[^${n}]: ${sourceLink(citation)}`;
  if (!citation.text.trim()) return head;
  return `${head}\n\n${quote(escapeBlock(citation.text))
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}`;
}

const INLINE_SPECIAL = /[\\`*_[\]<>|~&#!]/g;

/** One line of plain text inside a heading, a link or emphasis. */
export function escapeInline(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(INLINE_SPECIAL, "\\$&");
}

/**
 * Plain text as paragraphs: its line breaks kept (as hard breaks), and nothing in it read as
 * Markdown. Leading spaces are dropped, or four of them would make a code block.
 */
export function escapeBlock(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) =>
      line
        .trim()
        .replace(INLINE_SPECIAL, "\\$&")
        .replace(/^(\d+)([.)])/, "$1\\$2")
        .replace(/^[>+=-]/, "\\$&"),
    );
  return lines
    .map((line, i) => (line && lines[i + 1] ? `${line}\\` : line))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function quote(block: string): string {
  return block
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING_LEVELS_BELOW = 2;

/** The model's Markdown, kept inside its answer. */
export function answerMarkdown(text: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && /^[ \t]*[`~]+[ \t]*$/.test(line)) fence = null;
      out.push(line);
    } else if (marker) {
      fence = marker;
      out.push(line);
    } else {
      out.push(escapeAnswerLine(line));
    }
  }
  // A stopped answer can end inside a code block, which would swallow the rest of the transcript.
  if (fence) out.push(fence);
  return out.join("\n").trim() || "*(no text)*";
}

function escapeAnswerLine(line: string): string {
  const demoted = line
    .replace(/^( {0,3})(#{1,6})(?=[ \t]|$)/, (_, indent: string, hashes: string) => indent + "#".repeat(Math.min(6, hashes.length + HEADING_LEVELS_BELOW)))
    .replace(/^ {0,3}=+[ \t]*$/, (underline) => `\\${underline.trimStart()}`);
  // Odd pieces are code spans, where a backslash would show.
  return demoted
    .split(/(`+[^`]*`+)/)
    .map((piece, i) => (i % 2 ? piece : piece.replace(/\[\^/g, "\\[^").replace(/<(?=[A-Za-z/!?])/g, "\\<")))
    .join("");
}
