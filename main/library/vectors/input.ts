import { createHash } from "node:crypto";
import { sourceLabel } from "../../../shared/source-label.js";

/**
 * The text a chunk is embedded as: where it stands ("title › heading path", as the model sees a
 * document's title) above its text. A passage out of its note often does not say what it is
 * about; its headings do.
 */
export function embeddingInput(title: string, headingPath: readonly string[], text: string): string {
  const place = sourceLabel({ title, heading: headingPath.join(" › ") });
  return place ? `${place}\n\n${text}` : text;
}

/** 16 bytes of SHA-256: what says a stored vector was made from this very input. */
export function inputHash(input: string): Buffer {
  return createHash("sha256").update(input).digest().subarray(0, 16);
}
