// A transcript as one self-contained HTML file. Notes and model output are untrusted: answers are
// rendered by micromark, which escapes raw HTML and empties javascript: and other unsafe link targets;
// everything else is escaped here. The CSP allows no scripts, no requests and only the one stylesheet.
import { createHash } from "node:crypto";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import type { Citation, Conversation, SourceRef, StoredMessage } from "../../shared/chat.js";
import { questionLanguage } from "./answer.js";
import { answerFacts, exchanges, fileUrl, formatDate, lineRange, sourceLabel } from "./transcript-parts.js";

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #6e6e73; --line: #d2d2d7; --card: #f5f5f7; --accent: #0a58ca; --refusal: #fff4e5; --refusal-line: #f0a000; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #1c1c1e; --fg: #f2f2f7; --muted: #a1a1a6; --line: #3a3a3c; --card: #2c2c2e; --accent: #6ea8fe; --refusal: #3a2e16; --refusal-line: #c88a00; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 48rem; padding: 2rem 1rem 4rem; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 2.5rem 0 .5rem; color: var(--muted); }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
.meta { color: var(--muted); font-size: .85rem; }
.question { white-space: pre-wrap; background: var(--card); border-radius: .5rem; padding: .75rem 1rem; margin: 0; }
.answer pre { overflow-x: auto; background: var(--card); padding: .75rem; border-radius: .375rem; }
.answer table { border-collapse: collapse; } .answer th, .answer td { border: 1px solid var(--line); padding: .25rem .5rem; }
.refusal { background: var(--refusal); border-left: 4px solid var(--refusal-line); padding: .5rem 1rem; border-radius: .375rem; }
.refusal p { white-space: pre-wrap; }
.sources { padding-left: 1.5rem; } .sources li { margin: .5rem 0; }
.sources blockquote { margin: .35rem 0 0; padding: .5rem .75rem; border-left: 3px solid var(--line); white-space: pre-wrap; font-size: .9rem; }
.where { color: var(--muted); font-size: .85rem; word-break: break-all; }
.unused { font-size: .75rem; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; color: var(--muted); }
.stopped { font-style: italic; color: var(--muted); }
`;
const CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; base-uri 'none'; form-action 'none'`;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The model's Markdown as HTML; footnote ids get a per-answer prefix, so answers cannot clash. */
export function answerHtml(markdown: string, idPrefix: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml({ clobberPrefix: idPrefix })] });
}

export function renderHtml(conversation: Conversation): string {
  const pairs = exchanges(conversation.messages);
  const title = escapeHtml(conversation.title);
  const body = pairs.map(({ question, answer }, i) => exchangeHtml(question, answer, i + 1)).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1 lang="${questionLanguage(conversation.title)}">${title}</h1>
<p class="meta">${pairs.length === 1 ? "1 question" : `${pairs.length} questions`} · started <time datetime="${new Date(conversation.createdAt).toISOString()}">${formatDate(conversation.createdAt)}</time> · exported from Sourcebook</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

function exchangeHtml(question: StoredMessage, answer: StoredMessage, n: number): string {
  const a = answer.answer!;
  const lang = questionLanguage(question.content);
  const parts = [`<article id="q${n}" lang="${lang}">`, `<h2 lang="en">Question ${n}</h2>`, `<p class="question">${escapeHtml(question.content)}</p>`];
  if (a.refused) {
    parts.push(`<section class="refusal" aria-label="Not in your notes"><h3 lang="en">Not in your notes</h3><p>${escapeHtml(answer.content)}</p>`);
    if (a.candidates.length) {
      parts.push(`<h3 lang="en">Closest matches, not used</h3>`, `<ol class="sources">${a.candidates.map((c) => `<li>${sourceHtml(c)} <span class="unused" lang="en">not used</span></li>`).join("")}</ol>`);
    }
    parts.push("</section>");
  } else {
    parts.push(`<section class="answer"><h3 lang="en">Answer</h3>`, answerHtml(answer.content, `a${n}-`));
    if (a.stopped) parts.push(`<p class="stopped" lang="en">Stopped: the answer is partial.</p>`);
    if (a.citations.length) parts.push(`<h3 lang="en">Sources</h3>`, `<ol class="sources">${a.citations.map((c) => `<li>${citationHtml(c)}</li>`).join("")}</ol>`);
    parts.push("</section>");
  }
  parts.push(`<p class="meta" lang="en">${escapeHtml(`${formatDate(answer.createdAt)} · ${answerFacts(answer)}`)}</p>`, "</article>");
  return parts.join("\n");
}

function sourceHtml(ref: SourceRef): string {
  return `<a href="${escapeHtml(fileUrl(ref.path))}">${escapeHtml(sourceLabel(ref))}</a> <span class="where">${lineRange(ref)} · ${escapeHtml(ref.path)}</span>`;
}

function citationHtml(citation: Citation): string {
  return citation.text.trim() ? `${sourceHtml(citation)}<blockquote>${escapeHtml(citation.text.trim())}</blockquote>` : sourceHtml(citation);
}
