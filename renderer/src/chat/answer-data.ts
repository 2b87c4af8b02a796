import type { AskResult, StoredAnswer, StoredMessage } from "../../../shared/chat.js";

/** One answer as the chat shows it, whether it just finished streaming or was stored long ago. */
export interface AnswerData
  extends Pick<StoredAnswer, "refused" | "stopped" | "truncated" | "relevantDocIds" | "citations" | "candidates" | "omitted" | "context" | "model"> {
  content: string;
  timings: AskResult["timings"] | null;
  tokens: AskResult["tokens"] | null;
}

export function fromStored(message: StoredMessage): AnswerData {
  const answer = message.answer;
  return {
    content: message.content,
    refused: answer?.refused ?? false,
    stopped: answer?.stopped ?? false,
    truncated: answer?.truncated ?? false,
    relevantDocIds: answer?.relevantDocIds ?? [],
    citations: answer?.citations ?? [],
    candidates: answer?.candidates ?? [],
    omitted: answer?.omitted ?? [],
    context: answer?.context ?? null,
    model: answer?.model ?? null,
    timings: answer?.timings ?? null,
    tokens: answer?.tokens ?? null,
  };
}

export function fromResult(result: AskResult): AnswerData {
  const { answer, refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, timings, tokens } = result;
  return { content: answer, refused, stopped, truncated, relevantDocIds, citations, candidates, omitted, context, model: null, timings, tokens };
}
