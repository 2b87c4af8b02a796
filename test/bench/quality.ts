import fs from "node:fs";
import path from "node:path";
import type { IndexSummary } from "../../shared/library.js";
import { loadBeir, type BeirSet, type Lang } from "./corpora.js";
import { writeBeirDocs } from "./generate.js";
import { round, runCli, runCliJson } from "./measure.js";
import type { BenchContext, BenchOutput, Row } from "./report.js";

const K = 10;
const TARGETS: Record<Lang, number> = { ru: 0.95, en: 0.96 };

interface BatchLine {
  id: string;
  results: Array<{ path: string }>;
}

/** nDCG@k of one ranking of document ids against graded relevance (binary here). */
export function ndcgAt(ranking: string[], relevant: Map<string, number>, k = K): number {
  const gain = (rel: number) => 2 ** rel - 1;
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => (dcg += gain(relevant.get(id) ?? 0) / Math.log2(i + 2)));
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, rel, i) => sum + gain(rel) / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

/** Result paths back to paragraph ids, each paragraph once, at its best-ranked chunk. */
function rankedIds(results: Array<{ path: string }>): string[] {
  const ids: string[] = [];
  for (const hit of results) {
    const id = path.basename(hit.path, path.extname(hit.path));
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Indexes the paragraphs and runs every query through the real CLI, as the numbers were taken. */
async function evaluate(ctx: BenchContext, set: BeirSet) {
  const docs = path.join(fs.realpathSync(ctx.tmp), `xquad-${set.lang}`);
  const dbPath = path.join(ctx.tmp, `xquad-${set.lang}.sqlite`);
  const written = writeBeirDocs(docs, set);
  const { json: summary } = await runCliJson<IndexSummary>(["index", docs, "--db", dbPath, "--json"]);
  if (summary.indexed !== written.files) throw new Error(`xquad-${set.lang}: indexed ${summary.indexed} of ${written.files} paragraphs.`);

  const queriesFile = path.join(ctx.tmp, `queries-${set.lang}.jsonl`);
  const judged = set.queries.filter((q) => set.qrels.has(q.id));
  fs.writeFileSync(queriesFile, judged.map((q) => JSON.stringify({ id: q.id, text: q.text })).join("\n") + "\n");
  const run = await runCli(["search", "--batch", queriesFile, "--db", dbPath, "-k", String(K), "--json"]);
  if (run.code !== 0) throw new Error(`sourcebook search --batch exited with ${run.code}: ${run.stderr.trim().slice(0, 500)}`);
  const lines = run.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as BatchLine);
  const rankings = new Map(lines.map((line) => [String(line.id), rankedIds(line.results)]));

  let ndcg = 0;
  let hitsAtK = 0;
  let reciprocal = 0;
  for (const [queryId, relevant] of set.qrels) {
    const ranking = rankings.get(queryId) ?? [];
    ndcg += ndcgAt(ranking, relevant);
    const first = ranking.slice(0, K).findIndex((id) => (relevant.get(id) ?? 0) > 0);
    if (first >= 0) {
      hitsAtK++;
      reciprocal += 1 / (first + 1);
    }
  }
  const n = set.qrels.size;
  return {
    paragraphs: written.files,
    queries: n,
    answered: lines.length,
    ndcg: ndcg / n,
    recallAtK: round(hitsAtK / n, 4),
    mrrAtK: round(reciprocal / n, 4),
    batchWallMs: round(run.ms),
  };
}

export async function qualityBench(ctx: BenchContext): Promise<BenchOutput> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const lang of ["ru", "en"] as const) {
    const result = await evaluate(ctx, loadBeir(lang));
    ctx.log(`xquad-${lang}: nDCG@${K} ${result.ndcg.toFixed(3)} over ${result.queries} queries`);
    rows.push({ what: `xquad-${lang} nDCG@${K} (${result.queries} queries)`, value: result.ndcg, unit: "", digits: 3, target: { op: ">=", value: TARGETS[lang] } });
    details[lang] = { ...result, ndcg: round(result.ndcg, 4) };
  }
  return { rows, details };
}
