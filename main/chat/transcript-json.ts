import type { Conversation } from "../../shared/chat.js";
import { TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, transcriptHeaderSchema, transcriptSchema, type Transcript } from "../../shared/transcript.js";
import { LibraryError } from "../library/errors.js";
import { appVersion } from "../version.js";
import { describeIssues } from "../zod-issues.js";
import type { ImportedConversation } from "./conversations.js";

const iso = (ms: number) => new Date(ms).toISOString();
const MAX_ISSUES = 3;

/** The whole conversation, as the versioned JSON transcript. */
export function toTranscript(conversation: Conversation, exportedAt = new Date()): Transcript {
  const { id, title, createdAt, updatedAt, messages } = conversation;
  return {
    format: TRANSCRIPT_FORMAT,
    version: TRANSCRIPT_VERSION,
    exportedAt: exportedAt.toISOString(),
    app: { name: "Sourcebook", version: appVersion() },
    conversation: {
      id,
      title,
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
      messages: messages.map((m) => ({ id: m.id, role: m.role, content: m.content, createdAt: iso(m.createdAt), answer: m.answer })),
    },
  };
}

export function renderJson(conversation: Conversation): string {
  return `${JSON.stringify(toTranscript(conversation), null, 2)}\n`;
}

/** Reads a JSON transcript, or says in one line what is wrong with it. */
export function parseTranscript(json: string): Transcript {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new LibraryError("BAD_INPUT", `The transcript is not valid JSON: ${(error as Error).message}.`);
  }
  const header = transcriptHeaderSchema.safeParse(data);
  if (!header.success) throw new LibraryError("BAD_INPUT", `This is not a Sourcebook transcript (no "format": "${TRANSCRIPT_FORMAT}").`);
  if (header.data.version !== TRANSCRIPT_VERSION) {
    throw new LibraryError(
      "BAD_INPUT",
      `This transcript is version ${header.data.version}; this version of Sourcebook reads version ${TRANSCRIPT_VERSION}.`,
    );
  }
  const parsed = transcriptSchema.safeParse(data);
  if (!parsed.success) throw new LibraryError("BAD_INPUT", `The transcript is damaged: ${describeIssues(parsed.error, MAX_ISSUES)}.`);
  return parsed.data;
}

/** What the store needs from a transcript: its times back in milliseconds, its ids dropped. */
export function fromTranscript({ conversation }: Transcript): ImportedConversation {
  return {
    title: conversation.title,
    createdAt: Date.parse(conversation.createdAt),
    updatedAt: Date.parse(conversation.updatedAt),
    messages: conversation.messages.map((m) => ({ role: m.role, content: m.content, createdAt: Date.parse(m.createdAt), answer: m.answer })),
  };
}
