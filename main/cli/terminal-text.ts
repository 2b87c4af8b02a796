// Untrusted text (notes, titles, paths, model output, server messages) made safe to print on a
// terminal. Escape sequences could recolour or rewrite the screen, set the window title or write the
// clipboard (OSC 52), so every control sequence is dropped whole and every other C0/C1 control but
// \n and \t is removed. Bidi controls could make a file name read as another ("rtl\u202Egnp.exe.md"),
// so they are shown as their \u escapes. A parser rather than a regex (strip-ansi, util.stripVTControlCharacters):
// those leave lone ESCs, C0 controls and C1-introduced strings, and streamed text needs the state
// carried from one chunk to the next.

const ESC = 0x1b;
const BEL = 0x07;
const ST = 0x9c;
const CSI = 0x9b;
/** The C1 controls that open a control string (DCS, SOS, OSC, PM, APC), closed by ST or BEL. */
const C1_STRINGS = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
/** What follows ESC to open the same strings, in their 7-bit form: P, X, ], ^, _. */
const ESC_STRINGS = new Set([0x50, 0x58, 0x5d, 0x5e, 0x5f]);
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- the controls are what this looks for
const NOT_PLAIN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

type State = "text" | "escape" | "escapeIntermediate" | "csi" | "string" | "stringEscape";

/**
 * A filter for text that arrives in pieces: each call returns what of its chunk may be printed, and a
 * sequence split across chunks is dropped whole. An unterminated control string swallows the rest, as
 * it would on a terminal.
 */
export function terminalTextStream(): (chunk: string) => string {
  let state: State = "text";
  const text = (ch: string, code: number): string => {
    if (code === 0x0a || code === 0x09) return ch;
    if (code === ESC) state = "escape";
    else if (code === CSI) state = "csi";
    else if (C1_STRINGS.has(code)) state = "string";
    else if (code >= 0x20 && (code < 0x7f || code > 0x9f)) return BIDI.test(ch) ? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}` : ch;
    return "";
  };
  const step = (ch: string): string => {
    const code = ch.charCodeAt(0);
    switch (state) {
      case "text":
        return text(ch, code);
      case "escape":
        state = "text";
        if (code === 0x5b) state = "csi";
        else if (ESC_STRINGS.has(code)) state = "string";
        else if (code >= 0x20 && code <= 0x2f) state = "escapeIntermediate";
        else if (code < 0x30 || code > 0x7e) return text(ch, code);
        return "";
      case "escapeIntermediate":
        if (code >= 0x20 && code <= 0x2f) return "";
        state = "text";
        return code >= 0x30 && code <= 0x7e ? "" : text(ch, code);
      case "csi":
        if (code >= 0x20 && code <= 0x3f) return "";
        state = "text";
        return code >= 0x40 && code <= 0x7e ? "" : text(ch, code);
      case "string":
        if (code === BEL || code === ST) state = "text";
        else if (code === ESC) state = "stringEscape";
        return "";
      case "stringEscape":
        // ESC \ is ST; any other ESC ends the string and begins a new sequence.
        state = "escape";
        if (code !== 0x5c) return step(ch);
        state = "text";
        return "";
    }
  };
  return (chunk) => {
    if (state === "text" && !NOT_PLAIN.test(chunk)) return chunk;
    let out = "";
    for (const ch of chunk) out += step(ch);
    return out;
  };
}

/** One piece of untrusted text, whole. */
export function terminalText(text: string): string {
  return terminalTextStream()(text);
}

/** Writes text that arrives in pieces (a streamed answer) to a terminal. */
export function streamTo(stream: NodeJS.WritableStream): (chunk: string) => void {
  const filter = terminalTextStream();
  return (chunk) => {
    const text = filter(chunk);
    if (text) stream.write(text);
  };
}

// C1 controls (a terminal may act on U+009B as on ESC [) and bidi controls; JSON.stringify escapes C0 only.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A value as one line of JSON that is safe on a terminal and parses back to the same value. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
