import type { Token } from "node-llama-cpp";
import type { TokenCounter } from "./budget.js";
import type { ChatMessage } from "./prompt.js";
import { tokenizeSegments } from "./prompt.js";
import type { Session } from "./session.js";

/**
 * Counts with the loaded model's own tokenizer and chat template, exactly as the prompt will be
 * evaluated: when the model prepends BOS itself (node-llama-cpp's LlamaCompletion does so for
 * such models), the count includes it once. The tokens of the last messages counted are kept, so
 * step 1 evaluates the very tokens the budget counted without tokenizing them again.
 */
export class ModelTokenCounter implements TokenCounter {
  readonly source = "model";
  private last: { messages: readonly ChatMessage[]; tokens: Token[] } | undefined;

  constructor(private readonly session: Session) {}

  prompt(messages: readonly ChatMessage[]): Promise<number> {
    return Promise.resolve(this.tokens(messages).length);
  }

  text(text: string): number {
    return this.session.model.tokenize(text, false).length;
  }

  /** The prompt's tokens, BOS included when the model wants one. */
  tokens(messages: readonly ChatMessage[]): Token[] {
    if (this.last?.messages === messages) return this.last.tokens;
    const { model, template } = this.session;
    const tokens = withBos(model, tokenizeSegments(template.render(messages), (text, special) => model.tokenize(text, special)));
    this.last = { messages, tokens };
    return tokens;
  }
}

/** The tokens as the model evaluates them: with one BOS at the start when the model wants it. */
export function withBos(model: Session["model"], tokens: Token[]): Token[] {
  const bos = model.tokens.bos;
  return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
}
