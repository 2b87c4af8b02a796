import path from "node:path";
import { LlamaCompletion, type Token } from "node-llama-cpp";
import { answerGrounded, relevantIdsSchema, type GroundedOutcome } from "../../main/llm/grounded.js";
import { ModelHost, type Session } from "../../main/llm/host.js";
import { documentsJson, GROUNDED_SYSTEM_PROMPT, tokenizeSegments, type GroundedDocument } from "../../main/llm/prompt.js";
import { writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { median, round } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

const REPEAT = 7;
const ANSWER_TOKENS = 64;
const QUESTION = "Где спят кошки и что они едят?";
// Six documents sized so that step 1's prompt is about 2.2k tokens with the tiny byte-level vocabulary.
const DOCS: GroundedDocument[] = Array.from({ length: 6 }, (_, i) => ({
  doc_id: i,
  title: `Note ${i} › Cats`,
  content: `Cats sleep on window sills and eat fish in the morning, note ${i}. `.repeat(5),
}));

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

export async function llmBench(ctx: BenchContext): Promise<BenchOutput> {
  const host = new ModelHost();
  try {
    await host.load({ modelPath: writeTinyGguf(path.join(ctx.tmp, "tiny.gguf"), { seed: 1 }), gpu: "cpu", threads: 1, contextSize: 8192 });
    return await host.run(async (session) => {
      const selectSegments = session.renderer.render([
        { role: "system", content: GROUNDED_SYSTEM_PROMPT },
        { role: "documents", content: documentsJson(DOCS) },
        { role: "user", content: QUESTION },
      ]);
      const selectTokens = tokenizeSegments(selectSegments, (t, s) => session.model.tokenize(t, s));

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
  } finally {
    await host.close();
  }
}
