// The JSON transcript format: a conversation with everything needed to show it again, including the
// cited chunks' text as it was when answered. main writes and imports it; the renderer may read it.
// Times are ISO 8601 strings (UTC, millisecond precision), so the file is readable and still exact.
import { z } from "zod";
import { pairingProblems } from "./exchanges.js";

export const TRANSCRIPT_FORMAT = "sourcebook-transcript";
export const TRANSCRIPT_VERSION = 1;

const count = z.number().int().nonnegative();
const line = z.number().int().positive();
const ms = z.number().nonnegative();
const timestamp = z.iso.datetime();

const sourceRef = z.object({
  docId: count,
  chunkId: z.number().int(),
  path: z.string().min(1),
  title: z.string(),
  heading: z.string(),
  lineStart: line,
  lineEnd: line,
  page: z.number().int().positive().optional(),
  snippet: z.string(),
  shortened: z.literal(true).optional(),
  retrievers: z.object({ lexical: line.nullable(), semantic: line.nullable() }).optional(),
});

const context = z.object({
  size: count,
  promptTokens: count,
  answerBudget: count,
  countedBy: z.enum(["model", "server", "estimate"]),
  history: z.object({ sent: count, leftOut: count }),
});

const tokens = z.object({ prompt: count, evaluated: count, reused: count, generated: count });

// Transcripts written before the token budget have no omitted list, context or truncated flag.
const answer = z.object({
  refused: z.boolean(),
  stopped: z.boolean(),
  truncated: z.boolean().default(false),
  relevantDocIds: z.array(count),
  citations: z.array(sourceRef.extend({ text: z.string() })),
  candidates: z.array(sourceRef),
  omitted: z.array(sourceRef.extend({ reason: z.string() })).default([]),
  context: context.nullable().default(null),
  model: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  timings: z.object({ retrieveMs: ms, selectMs: ms, answerMs: ms, firstTokenMs: ms.nullable() }),
  tokens,
});

const message = z.object({
  /** The id in the library it was exported from; an import gives new ones. */
  id: z.number().int().positive().optional(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  createdAt: timestamp,
  answer: answer.nullable(),
});

const messages = z.array(message).superRefine((list, ctx) => {
  for (const { index, message } of pairingProblems(list)) ctx.addIssue({ code: "custom", path: index === null ? [] : [index], message });
});

/** Just enough to tell a transcript of another version, or something else entirely, from a damaged one. */
export const transcriptHeaderSchema = z.object({ format: z.literal(TRANSCRIPT_FORMAT), version: z.number() });

export const transcriptSchema = z.object({
  format: z.literal(TRANSCRIPT_FORMAT),
  version: z.literal(TRANSCRIPT_VERSION),
  exportedAt: timestamp,
  app: z.object({ name: z.string(), version: z.string() }),
  conversation: z.object({
    id: z.number().int().positive().optional(),
    title: z.string().trim().min(1),
    createdAt: timestamp,
    updatedAt: timestamp,
    messages,
  }),
});

export type Transcript = z.infer<typeof transcriptSchema>;
export type TranscriptMessage = Transcript["conversation"]["messages"][number];
