import { Template } from "@huggingface/jinja";

/** The model card's system prompt for grounded answers, verbatim: the RAG mode requires it. */
export const GROUNDED_SYSTEM_PROMPT =
  "Your task is to answer the user's questions using only the information from the provided documents. Give two answers to each question: one with a list of relevant document identifiers and the second with the answer to the question itself, using documents with these identifiers.";

export type Role = "system" | "documents" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface GroundedDocument {
  doc_id: number;
  title: string | null;
  content: string;
}

/**
 * The documents message exactly as Python's json.dumps(docs, ensure_ascii=False) writes it, since
 * that is what the model saw in training: ", " and ": " separators, non-ASCII kept. For strings,
 * JSON.stringify escapes the same characters the same way (\" \\ \n \r \t \b \f, other controls
 * as lower-case \u00xx); only the separators need writing out.
 */
export function documentsJson(docs: readonly GroundedDocument[]): string {
  return `[${docs.map(documentJson).join(DOCUMENT_SEPARATOR)}]`;
}

export const DOCUMENT_SEPARATOR = ", ";

/** One document of the documents message, as documentsJson writes it. */
export function documentJson(d: GroundedDocument): string {
  return `{"doc_id": ${d.doc_id}, "title": ${d.title === null ? "null" : JSON.stringify(d.title)}, "content": ${JSON.stringify(d.content)}}`;
}

/** A piece of the rendered prompt: template text may hold control tokens, message text never. */
export interface PromptSegment {
  text: string;
  special: boolean;
}

export interface RenderOptions {
  bosToken: string;
  eosToken: string;
  addGenerationPrompt?: boolean;
}

// Private-use characters around a message index: no note or template contains them.
const OPEN = "\uE000";
const CLOSE = "\uE001";
const SENTINEL = /\uE000(\d+)\uE001/g;

/**
 * Renders messages with the model's own chat template, as segments. Message contents are swapped
 * for sentinels before rendering and put back after, so a note that contains "</s>" or a header
 * token stays plain text when tokenized: only the template's own text can yield control tokens.
 */
export class ChatTemplate {
  private readonly template: Template;
  private readonly trimsContent: boolean;

  constructor(
    source: string,
    private readonly options: RenderOptions,
  ) {
    this.template = new Template(source);
    // Templates usually trim each content; find out by rendering, rather than by reading the source.
    const probe = this.renderRaw([{ role: "user", content: ` ${OPEN}probe${CLOSE} ` }], false);
    this.trimsContent = !probe.includes(` ${OPEN}probe${CLOSE} `);
  }

  private renderRaw(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string {
    return this.template.render({
      messages,
      bos_token: this.options.bosToken,
      eos_token: this.options.eosToken,
      add_generation_prompt: addGenerationPrompt,
    });
  }

  render(messages: readonly ChatMessage[], addGenerationPrompt = this.options.addGenerationPrompt ?? true): PromptSegment[] {
    const stand = messages.map((m, i) => ({ role: m.role, content: `${OPEN}${i}${CLOSE}` }));
    const rendered = this.renderRaw(stand, addGenerationPrompt);
    const segments: PromptSegment[] = [];
    let cursor = 0;
    for (const match of rendered.matchAll(SENTINEL)) {
      if (match.index > cursor) segments.push({ text: rendered.slice(cursor, match.index), special: true });
      const content = messages[Number(match[1])]!.content;
      segments.push({ text: this.trimsContent ? content.trim() : content, special: false });
      cursor = match.index + match[0].length;
    }
    if (cursor < rendered.length) segments.push({ text: rendered.slice(cursor), special: true });
    return segments;
  }
}

/** The rendered prompt as one string, for display and for endpoints that take text. */
export function promptText(segments: readonly PromptSegment[]): string {
  return segments.map((s) => s.text).join("");
}

/** Tokens of the prompt, with control tokens recognized in template text only. */
export function tokenizeSegments<T extends number>(segments: readonly PromptSegment[], tokenize: (text: string, special: boolean) => readonly T[]): T[] {
  return segments.flatMap((s) => (s.text ? [...tokenize(s.text, s.special)] : []));
}
