import type { LlamaCompletion, LlamaCompletionGenerationOptions, LlamaCompletionResponse, Token } from "node-llama-cpp";
import { llamaBinding } from "./binding.js";
import { contextUse, planPrompt } from "./budget.js";
import { LlmError } from "./errors.js";
import { ModelTokenCounter, withBos } from "./model-tokens.js";
import { promptText, tokenizeSegments, type PromptSegment } from "./prompt.js";
import { groundedSettings, parseRelevantIds, relevantIdsSchema, type GroundedOutcome, type GroundedRequest, type TokenCounts } from "./protocol.js";
import type { Session } from "./session.js";

/**
 * The model card's two-step protocol on one context sequence, within the budget planPrompt sets.
 * Step 1 names the relevant documents under a JSON-schema grammar at temperature 0; an empty list
 * is a refusal and step 2 never runs. Step 2 continues the same tokens: step 1's prompt, the tokens
 * it generated (re-tokenizing the JSON text could tokenize differently and break the match), then
 * the template's turn suffix, so only that suffix and the last generated token are evaluated again.
 */
export async function answerGrounded(session: Session, request: GroundedRequest): Promise<GroundedOutcome> {
  const settings = groundedSettings(request.settings);
  const { model, llama, template, context } = session;
  const tokenize = (text: string, special: boolean) => model.tokenize(text, special);
  const counter = new ModelTokenCounter(session);

  const budgetStarted = performance.now();
  const plan = await planPrompt(
    { question: request.question, documents: request.documents, history: request.history ?? [], contextSize: context.contextSize, maxAnswerTokens: settings.maxAnswerTokens },
    counter,
  );
  const budgetMs = performance.now() - budgetStarted;
  const docIds = plan.documents.map((d) => d.doc_id);
  const { LlamaCompletion } = await llamaBinding();
  const completion = new LlamaCompletion({ contextSequence: session.sequence });

  const selectStarted = performance.now();
  const selectSegments = template.render(plan.messages);
  const selectPrompt = counter.tokens(plan.messages);
  const generated: Token[] = [];
  const selection = await generate(session, completion, selectPrompt, {
    grammar: await llama.createGrammarForJsonSchema(relevantIdsSchema(docIds)),
    temperature: 0,
    maxTokens: plan.selectBudget,
    signal: request.signal,
    stopOnAbortSignal: true,
    onToken: (tokens) => generated.push(...tokens),
  });
  const stoppedEarly = selection.response.metadata.stopReason === "abort";
  const relevantDocIds = stoppedEarly ? [] : parseRelevantIds(selection.response.response, docIds);
  const outcome: GroundedOutcome = {
    relevantDocIds,
    refused: !stoppedEarly && relevantDocIds.length === 0,
    answer: "",
    stopped: stoppedEarly,
    truncated: false,
    sent: plan.documents,
    context: contextUse(plan),
    tokens: { select: { ...selection.counts, generated: generated.length }, answer: null },
    timings: { budgetMs, selectMs: performance.now() - selectStarted, answerMs: 0, firstTokenMs: null },
  };
  if (stoppedEarly || outcome.refused) return outcome;
  request.onSelected?.(relevantDocIds);

  const answerStarted = performance.now();
  const json = selection.response.response.trim();
  const answerSegments = template.render([...plan.messages, { role: "assistant", content: json }]);
  const answerPrompt = continueTokens(selectSegments, selectPrompt, jsonTokens(model, generated, json), json, answerSegments, tokenize, (segments) => withBos(model, tokenizeSegments(segments, tokenize)));
  let answerTokens = 0;
  let streamed = "";
  const answer = await generate(session, completion, answerPrompt, {
    temperature: settings.temperature,
    topK: settings.topK,
    // The budget kept this much free; should the turn suffix have come out longer, the answer is
    // shortened rather than the context shifted.
    maxTokens: Math.min(plan.answerBudget, context.contextSize - answerPrompt.length),
    signal: request.signal,
    stopOnAbortSignal: true,
    onToken: (tokens) => {
      answerTokens += tokens.length;
      outcome.timings.firstTokenMs ??= performance.now() - answerStarted;
    },
    onTextChunk: (text) => {
      streamed += text;
      request.onTextChunk?.(text);
    },
  });
  // What was streamed is the answer: detokenizing all of it at once can decode bytes that are not
  // UTF-8 differently from the pieces, and the stored answer must be the one the person saw.
  outcome.answer = streamed;
  outcome.stopped = answer.response.metadata.stopReason === "abort";
  outcome.truncated = answer.response.metadata.stopReason === "maxTokens";
  outcome.tokens.answer = { ...answer.counts, generated: answerTokens };
  outcome.timings.answerMs = performance.now() - answerStarted;
  return outcome;
}

/**
 * One completion of exactly these tokens, which must leave room for maxTokens: the prompt is never
 * cut and the context never shifted (node-llama-cpp would otherwise drop the prompt's start, the
 * system prompt and documents first). The counts come from the sequence itself: reused is the
 * prefix already in the KV cache, less the last token, which is always evaluated again to
 * predict from. A completion whose signal was aborted before it began stops, as stopOnAbortSignal
 * asks, rather than throwing.
 */
async function generate(
  { model, sequence, context }: Session,
  completion: LlamaCompletion,
  prompt: Token[],
  options: LlamaCompletionGenerationOptions & { maxTokens: number },
): Promise<{ response: LlamaCompletionResponse; counts: Omit<TokenCounts, "generated"> }> {
  if (prompt.length + options.maxTokens > context.contextSize || options.maxTokens < 1) {
    throw new LlmError("CONTEXT_TOO_SMALL", `A prompt of ${prompt.length} tokens leaves no room for its output in the model's context of ${context.contextSize} tokens.`);
  }
  const reused = Math.min(sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
  const counts = { prompt: prompt.length, evaluated: prompt.length - reused, reused };
  if (options.signal?.aborted) return { response: { response: "", metadata: { stopReason: "abort" } }, counts: { prompt: 0, evaluated: 0, reused: 0 } };
  // LlamaCompletion prepends BOS itself for models that want it; the prompt's own BOS goes.
  const input = model.tokens.shouldPrependBosToken && prompt[0] === model.tokens.bos ? prompt.slice(1) : prompt;
  const response = await completion.generateCompletionWithMeta(input, { ...options, contextShiftSize: 1, disableContextShift: true });
  return { response, counts };
}

/**
 * The generated tokens that spell the JSON. node-llama-cpp's JSON grammar makes the model add
 * newlines after the closing brace; the template trims the assistant message, so training saw
 * none, and those tokens are left out. Should a token fuse the brace with a newline, the JSON is
 * tokenized as plain text instead: exact, at the cost of a few more evaluated tokens.
 */
function jsonTokens(model: Session["model"], generated: Token[], json: string): Token[] {
  let end = generated.length;
  while (end > 0 && !model.detokenize([generated[end - 1]!]).trim()) end--;
  const kept = generated.slice(0, end);
  return model.detokenize(kept) === json ? kept : model.tokenize(json, false);
}

/**
 * Step 2's prompt as a continuation of step 1's tokens. It relies on the template rendering the
 * earlier messages identically with the assistant turn added; should a template not do that, the
 * prompt is tokenized whole, and only the common prefix is reused.
 */
function continueTokens(
  selectSegments: PromptSegment[],
  selectPrompt: Token[],
  jsonTokenIds: Token[],
  json: string,
  answerSegments: PromptSegment[],
  tokenize: (text: string, special: boolean) => readonly Token[],
  tokenizeWhole: (segments: PromptSegment[]) => Token[],
): Token[] {
  const jsonIndex = answerSegments.findIndex((s) => !s.special && s.text === json);
  const before = promptText(answerSegments.slice(0, jsonIndex));
  if (jsonIndex === -1 || before !== promptText(selectSegments)) return tokenizeWhole(answerSegments);
  return [...selectPrompt, ...jsonTokenIds, ...tokenizeSegments(answerSegments.slice(jsonIndex + 1), tokenize)];
}
