import type { ApiError } from "../../../shared/api.js";
import type { StoredMessage } from "../../../shared/chat.js";
import { fromStored, type AnswerData } from "./answer-data.js";

/** The answer in flight: asked, maybe not yet given a stream id, maybe failed. */
export interface Turn {
  question: string;
  /** null until chat.ask returns, for a question that starts a new conversation. */
  conversationId: number | null;
  streamId: string | null;
  /** Replaces the conversation's last answer instead of adding a question. */
  regenerate: boolean;
  /** The conversation's title when it was asked, for the note shown in other conversations. */
  title: string;
  error: ApiError | null;
}

export type Row =
  | { key: string; kind: "question"; text: string }
  | { key: string; kind: "answer"; question: string; data: AnswerData; last: boolean }
  | { key: string; kind: "stream"; question: string; streamId: string | null; error: ApiError | null };

/** The list the chat shows: stored messages, then the turn in flight. */
export function buildRows(messages: readonly StoredMessage[], turn: Turn | null): Row[] {
  // A failed retry leaves the stored answer in place (main keeps it too), with the error under it.
  const replacing = turn?.regenerate === true && turn.error === null;
  const shown = replacing ? dropLastAnswer(messages) : messages;
  const rows: Row[] = [];
  let question = "";
  shown.forEach((message, index) => {
    if (message.role === "user") {
      question = message.content;
      rows.push({ key: `m${message.id}`, kind: "question", text: message.content });
    } else {
      const last = index === shown.length - 1 && (!turn || (turn.regenerate && turn.error !== null));
      rows.push({ key: `m${message.id}`, kind: "answer", question, data: fromStored(message), last });
    }
  });
  if (turn) {
    if (!turn.regenerate) rows.push({ key: "turn-question", kind: "question", text: turn.question });
    rows.push({ key: "turn-answer", kind: "stream", question: turn.question, streamId: turn.streamId, error: turn.error });
  }
  return rows;
}

function dropLastAnswer(messages: readonly StoredMessage[]): readonly StoredMessage[] {
  return messages.at(-1)?.role === "assistant" ? messages.slice(0, -1) : messages;
}
