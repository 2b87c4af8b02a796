import path from "node:path";
import { LlamaCompletion, type Token } from "node-llama-cpp";
import { answerGrounded } from "../../main/llm/grounded.js";
import { ModelHost } from "../../main/llm/host.js";
import { ModelTokenCounter } from "../../main/llm/model-tokens.js";
import type { GroundedDocument } from "../../main/llm/prompt.js";
import { groundedMessages, relevantIdsSchema, type GroundedOutcome } from "../../main/llm/protocol.js";
import type { Session } from "../../main/llm/session.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { median, round } from "./measure.js";
import type { BenchContext, BenchOutput, Row } from "./report.js";

const REPEAT = 7;
const ANSWER_TOKENS = 64;
const QUESTION = "Где спят кошки и что они едят?";
// Six documents sized so that step 1's prompt is about 2.2k tokens with the tiny byte-level vocabulary.
const DOCS: GroundedDocument[] = Array.from({ length: 6 }, (_, i) => ({
  doc_id: i,
  title: `Note ${i} › Cats`,
  content: `Cats sleep on window sills and eat fish in the morning, note ${i}. `.repeat(5),
}));
/** Retrieval's six best chunks as they come: long, Russian and English, more than small contexts hold. */
const LONG_DOCS: GroundedDocument[] = Array.from({ length: 6 }, (_, i) => ({
  doc_id: i,
  title: i % 2 ? `Кошки ${i} › Сон` : `Cats ${i} › Sleep`,
  content: (i % 2
    ? `Кошки спят на подоконниках, заметка ${i}. Зимой они перебираются ближе к батарее. `
    : `Cats sleep on window sills, note ${i}. In winter they move closer to the radiator. `
  ).repeat(14),
}));
const CONTEXTS = [1024, 2048, 4096, 8192];

async function ours(session: Session, question = QUESTION): Promise<GroundedOutcome> {
  return answerGrounded(session, { question, documents: DOCS, settings: { temperature: 0, maxAnswerTokens: ANSWER_TOKENS } });
}

/** The same two completions done with node-llama-cpp directly, on the same tokens: the baseline. */
async function bare(session: Session, selectTokens: Token[], answerTokens: Token[], selectMax: number, answerMax: number): Promise<void> {
  const completion = new LlamaCompletion({ contextSequence: session.sequence });
  await completion.generateCompletion(selectTokens, {
    grammar: await session.llama.createGrammarForJsonSchema(relevantIdsSchema(DOCS.map((d) => d.doc_id))),
    temperature: 0,
    maxTokens: selectMax,
  });
  await completion.generateCompletion(answerTokens, { temperature: 0, maxTokens: answerMax });
}

/** Step 2 continuing step 1, and the whole answer against node-llama-cpp alone, at the model's full context. */
async function protocolRows(host: ModelHost, ctx: BenchContext): Promise<BenchOutput> {
  return host.run(async (session) => {
    const selectTokens = new ModelTokenCounter(session).tokens(groundedMessages(QUESTION, DOCS));
    const oursMs: number[] = [];
    const bareMs: number[] = [];
    let first: GroundedOutcome | undefined;
    for (let i = 0; i < REPEAT; i++) {
      // A B A B on a cleared context, so each run evaluates the whole prompt and neither gains from the other.
      await session.sequence.clearHistory();
      let started = performance.now();
      const outcome = await ours(session);
      oursMs.push(performance.now() - started);
      first ??= outcome;
      const answerTokens = session.sequence.contextTokens.slice(0, outcome.tokens.answer!.prompt);
      await session.sequence.clearHistory();
      started = performance.now();
      await bare(session, selectTokens, answerTokens, outcome.tokens.select.generated, outcome.tokens.answer!.generated);
      bareMs.push(performance.now() - started);
    }
    await session.sequence.clearHistory();
    await ours(session);
    const followUp = await ours(session, "А что пьют кошки?");

    const step2 = first!.tokens.answer!.evaluated / first!.tokens.select.prompt;
    const overhead = median(oursMs) / median(bareMs) - 1;
    const followRatio = followUp.tokens.select.evaluated / followUp.tokens.select.prompt;
    ctx.log(`step 1 prompt ${first!.tokens.select.prompt} tokens, step 2 evaluated ${first!.tokens.answer!.evaluated}; ours ${round(median(oursMs), 1)} ms vs bare ${round(median(bareMs), 1)} ms`);
    return {
      rows: [
        { what: `step 2 evaluated ÷ step 1 prompt (${first!.tokens.select.prompt} tokens, tiny model)`, value: step2 * 100, unit: "%", digits: 2, target: { op: "<=", value: 2 } },
        { what: "whole answer vs bare node-llama-cpp, same two completions: overhead", value: overhead * 100, unit: "%", digits: 1, target: { op: "<=", value: 5 } },
        { what: "follow-up question: evaluated ÷ prompt", value: followRatio * 100, unit: "%", digits: 1 },
      ],
      details: { oursMs, bareMs, first: first!.tokens, followUp: followUp.tokens },
    };
  });
}

/**
 * The budget at small contexts: six long retrieved chunks, the default answer budget (a quarter of
 * the context at most), and what went in. The budget's time is measured against the whole answer's.
 */
async function budgetRows(host: ModelHost, modelPath: string, ctx: BenchContext): Promise<BenchOutput> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const budgetShares: number[] = [];
  for (const contextSize of CONTEXTS) {
    await host.load({ modelPath, gpu: "cpu", threads: 1, contextSize });
    const runs = await host.run(async (session) => {
      const outcomes: GroundedOutcome[] = [];
      for (let i = 0; i < 3; i++) {
        await session.sequence.clearHistory();
        outcomes.push(await answerGrounded(session, { question: QUESTION, documents: LONG_DOCS, settings: { temperature: 0, maxAnswerTokens: 1024 } }));
      }
      return outcomes;
    });
    const outcome = runs[0]!;
    const total = (o: GroundedOutcome) => o.timings.budgetMs + o.timings.selectMs + o.timings.answerMs;
    const share = median(runs.map((o) => o.timings.budgetMs / total(o)));
    budgetShares.push(share);
    const answer = outcome.tokens.answer;
    const reEvaluated = answer ? answer.evaluated / answer.prompt : NaN;
    const sent = outcome.sent.length;
    ctx.log(
      `context ${contextSize}: ${sent} of ${LONG_DOCS.length} documents sent${outcome.context.shortened ? " (doc 0 shortened)" : ""}, ` +
        `prompt ${outcome.context.promptTokens} tokens, answer budget ${outcome.context.answerBudget}, step 2 re-evaluated ${answer?.evaluated ?? "—"} of ${answer?.prompt ?? "—"}`,
    );
    rows.push(
      { what: `context ${contextSize}: documents sent (of ${LONG_DOCS.length}${outcome.context.shortened ? ", doc 0 shortened" : ""})`, value: sent, unit: "", digits: 0 },
      { what: `context ${contextSize}: step 1 prompt ÷ context`, value: (outcome.context.promptTokens / contextSize) * 100, unit: "%", digits: 1, target: { op: "<=", value: 100 } },
      ...(answer ? [{ what: `context ${contextSize}: step 2 re-evaluated ÷ its prompt`, value: reEvaluated * 100, unit: "%", digits: 2, target: { op: "<=" as const, value: 2 } }] : []),
    );
    details[`context${contextSize}`] = { context: outcome.context, tokens: outcome.tokens, timings: runs.map((o) => o.timings) };
  }
  rows.push({ what: "token budget's own time ÷ whole answer time (tiny model, worst context)", value: Math.max(...budgetShares) * 100, unit: "%", digits: 2, target: { op: "<=", value: 5 } });
  return { rows, details };
}

export async function llmBench(ctx: BenchContext): Promise<BenchOutput> {
  const host = new ModelHost();
  try {
    const modelPath = writeTinyGguf(path.join(ctx.tmp, "tiny.gguf"), { seed: 1 });
    await host.load({ modelPath, gpu: "cpu", threads: 1, contextSize: 8192 });
    const protocol = await protocolRows(host, ctx);
    const budget = await budgetRows(host, modelPath, ctx);
    return { rows: [...protocol.rows, ...budget.rows], details: { ...protocol.details, budget: budget.details } };
  } finally {
    await host.close();
  }
}
