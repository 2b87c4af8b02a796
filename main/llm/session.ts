import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { ChatTemplate } from "./prompt.js";

/** A loaded local model, as the jobs that ModelHost runs one at a time receive it. */
export interface Session {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  /** The one sequence generations share, so a follow-up can reuse what the last turn evaluated. */
  sequence: LlamaContextSequence;
  /** The model's own chat template, or the known one for a Vikhr file that lacks it. */
  template: ChatTemplate;
}
