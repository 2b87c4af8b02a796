/**
 * Chat templates of the Vikhr models this app knows, for GGUF files that carry none. The text
 * follows the vendor's training configuration; each message's content is trimmed, as there.
 */

/** Vikhr-Nemo-12B-Instruct-R: every turn ends with </s>. */
export const VIKHR_NEMO_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}" +
  "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + (message['content'] | trim) + '</s>' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

/** Vikhr-Llama3.1-8B-Instruct-R: the same roles, with Llama 3's end of turn. */
export const VIKHR_LLAMA3_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}" +
  "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + (message['content'] | trim) + '<|eot_id|>' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

export interface KnownTemplate {
  template: string;
  /** The token that ends a turn, which generation must stop at. */
  endOfTurn: string;
}

const KNOWN: Array<{ match: RegExp; known: KnownTemplate }> = [
  { match: /vikhr[-_ ]?nemo/i, known: { template: VIKHR_NEMO_TEMPLATE, endOfTurn: "</s>" } },
  { match: /vikhr[-_ ]?llama[-_ ]?3/i, known: { template: VIKHR_LLAMA3_TEMPLATE, endOfTurn: "<|eot_id|>" } },
];

/** The fallback template for a model known by its name (GGUF general.name or the file name). */
export function knownTemplateFor(modelName: string): KnownTemplate | undefined {
  return KNOWN.find((k) => k.match.test(modelName))?.known;
}
