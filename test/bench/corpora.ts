import fs from "node:fs";
import path from "node:path";
import { splitFrontMatter } from "../../main/library/ingest/front-matter.js";
import { formatOf } from "../../main/library/ingest/formats.js";
import { htmlToMarkdown } from "../../main/library/ingest/html.js";
import { CORPORA } from "./config.js";

export type Lang = "ru" | "en";

export interface BeirSet {
  lang: Lang;
  docs: Array<{ id: string; text: string; article: string }>;
  queries: Array<{ id: string; text: string }>;
  /** query id → (document id → relevance). */
  qrels: Map<string, Map<string, number>>;
}

export const HTML_DOCS = path.join(CORPORA, "html", "git-htmldocs");
const progitDir = (lang: Lang) => path.join(CORPORA, "html", `progit2-${lang}`);
const xquadDir = (lang: Lang) => path.join(CORPORA, `xquad-${lang}`);

/** The corpus files the benchmarks need that are not there. */
export function missingCorpora(): string[] {
  const needed = [HTML_DOCS, progitDir("ru"), progitDir("en")];
  for (const lang of ["ru", "en"] as const) {
    for (const file of ["corpus.jsonl", "queries.jsonl", "qrels/test.tsv"]) needed.push(path.join(xquadDir(lang), file));
  }
  return needed.filter((p) => !fs.existsSync(p));
}

function jsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

const beirCache = new Map<Lang, BeirSet>();

export function loadBeir(lang: Lang): BeirSet {
  const cached = beirCache.get(lang);
  if (cached) return cached;
  const dir = xquadDir(lang);
  const docs = jsonLines<{ _id: string; text: string; article?: string }>(path.join(dir, "corpus.jsonl")).map((d) => ({
    id: d._id,
    text: d.text,
    article: d.article ?? "",
  }));
  const queries = jsonLines<{ _id: string; text: string }>(path.join(dir, "queries.jsonl")).map((q) => ({ id: q._id, text: q.text }));
  const qrels = new Map<string, Map<string, number>>();
  const [header, ...rows] = fs.readFileSync(path.join(dir, "qrels", "test.tsv"), "utf8").split("\n");
  if (header?.trim() !== "query-id\tcorpus-id\tscore") throw new Error(`Unexpected qrels header in ${dir}: ${header}`);
  for (const row of rows) {
    const [queryId, docId, score] = row.split("\t");
    if (!queryId || !docId) continue;
    const rel = qrels.get(queryId) ?? new Map<string, number>();
    rel.set(docId, Number(score));
    qrels.set(queryId, rel);
  }
  const set = { lang, docs, queries, qrels };
  beirCache.set(lang, set);
  return set;
}

/** Every file under dir that the library reads as the given format, sorted for stable runs. */
export function filesOfFormat(dir: string, format: "html" | "markdown"): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((rel) => path.join(dir, rel))
    .filter((full) => formatOf(full) === format && fs.statSync(full).isFile())
    .sort();
}

export interface Note {
  name: string;
  markdown: string;
}

const progitCache = new Map<Lang, Note[]>();

/**
 * The Pro Git sections as Markdown notes with their YAML front matter, converted by the project's
 * own converter: real prose with code blocks, lists and tables, as people keep in notes.
 */
export function progitNotes(lang: Lang): Note[] {
  const cached = progitCache.get(lang);
  if (cached) return cached;
  const notes = filesOfFormat(progitDir(lang), "html").map((file) => {
    const text = fs.readFileSync(file, "utf8");
    const { body } = splitFrontMatter(text);
    const frontMatter = text.slice(0, text.length - body.length);
    return { name: path.basename(file, path.extname(file)), markdown: frontMatter + htmlToMarkdown(body).markdown + "\n" };
  });
  progitCache.set(lang, notes);
  return notes;
}

/** XQuAD paragraphs grouped into one note per Wikipedia article, a section per paragraph. */
export function xquadNotes(lang: Lang): Note[] {
  const byArticle = new Map<string, string[]>();
  for (const doc of loadBeir(lang).docs) {
    const list = byArticle.get(doc.article) ?? [];
    list.push(doc.text);
    byArticle.set(doc.article, list);
  }
  return [...byArticle].map(([article, paragraphs]) => ({
    name: `xquad-${article || "unknown"}`,
    markdown: `# ${article.replaceAll("_", " ")}\n\n` + paragraphs.map((p) => `## ${headingOf(p)}\n\n${p}\n`).join("\n"),
  }));
}

/** The first few words of a paragraph, as a person might head it. */
export function headingOf(paragraph: string): string {
  return paragraph.split(/\s+/).slice(0, 5).join(" ").replace(/[.,;:!?]+$/, "");
}

/**
 * The blocks of running text in a Markdown body: blank-line separated, outside fenced code, and
 * not code, lists, tables, quotes or headings, so that any of them can stand alone under a heading.
 */
function proseParagraphs(markdown: string): string[] {
  const out: string[] = [];
  let block: string[] = [];
  let fence = false;
  const flush = () => {
    const text = block.join("\n").trim();
    block = [];
    if (text.length < 200 || text.length > 3000) return;
    if (/^(?:[#|>*+-]|\d+[.)]|\s{4})/m.test(text) || /^\s*(?:=+|-+)\s*$/m.test(text)) return;
    out.push(text);
  };
  for (const line of markdown.split("\n")) {
    if (/^\s{0,3}(?:```|~~~)/.test(line)) {
      fence = !fence;
      block = [];
    } else if (fence) {
      continue;
    } else if (!line.trim()) {
      flush();
    } else {
      block.push(line);
    }
  }
  if (!fence) flush();
  return out;
}

let poolCache: string[] | undefined;

/** Real prose paragraphs in both languages for generated notes: XQuAD's and Pro Git's. */
export function paragraphPool(): string[] {
  if (poolCache) return poolCache;
  const pool: string[] = [];
  for (const lang of ["ru", "en"] as const) {
    pool.push(...loadBeir(lang).docs.map((d) => d.text));
    for (const note of progitNotes(lang)) pool.push(...proseParagraphs(splitFrontMatter(note.markdown).body));
  }
  poolCache = pool;
  return pool;
}

export { seededRandom } from "../fixtures/random.js";

export function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
