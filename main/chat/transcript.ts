import type { TranscriptFormat } from "../../shared/api.js";
import type { Conversation, ConversationSummary } from "../../shared/chat.js";
import type { ConversationStore } from "./conversations.js";
import { renderHtml } from "./transcript-html.js";
import { fromTranscript, parseTranscript, renderJson } from "./transcript-json.js";
import { renderMarkdown } from "./transcript-markdown.js";

const RENDERERS: Record<TranscriptFormat, (conversation: Conversation) => string> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
};

export function renderTranscript(conversation: Conversation, format: TranscriptFormat): string {
  return RENDERERS[format](conversation);
}

/** Adds the conversation in a JSON transcript as a new one; a malformed transcript is refused with BAD_INPUT, and nothing is created. */
export function importTranscript(store: ConversationStore, json: string): ConversationSummary {
  return store.importConversation(fromTranscript(parseTranscript(json)));
}
