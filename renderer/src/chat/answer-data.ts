import type { AskResult, StoredAnswer, StoredMessage } from "../../../shared/chat.js";

/** One answer as the chat shows it, whether it just finished streaming or was stored long ago. */
export interface AnswerData extends Pick<StoredAnswer, "refused" | "stopped" | "relevantDocIds" | "citations" | "candidates" | "model"> {
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
    relevantDocIds: answer?.relevantDocIds ?? [],
    citations: answer?.citations ?? [],
    candidates: answer?.candidates ?? [],
    model: answer?.model ?? null,
    timings: answer?.timings ?? null,
    tokens: answer?.tokens ?? null,
  };
}

export function fromResult(result: AskResult): AnswerData {
  const { answer, refused, stopped, relevantDocIds, citations, candidates, timings, tokens } = result;
  return { content: answer, refused, stopped, relevantDocIds, citations, candidates, model: null, timings, tokens };
}
