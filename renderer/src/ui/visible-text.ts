// Names from the library (file names, paths, titles) are shown with their invisible characters
// made visible. A right-to-left override turns "rtl\u202Egnp.exe.md" into "rtldm.exe.png" on screen;
// zero-width and control characters hide what a name really is.
//
// Escaped: control characters, format characters (bidi embeddings, overrides, isolates and marks,
// zero-width spaces, the BOM, tags), other default-ignorable characters (Hangul fillers, the soft
// hyphen), line and paragraph separators and lone surrogates. Kept: the zero-width joiner and
// non-joiner, which shape emoji and Persian or Indic words, and variation selectors (emoji style).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

function kept(code: number): boolean {
  return code === 0x200c || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
}

function escape(char: string): string {
  const code = char.codePointAt(0)!;
  if (kept(code)) return char;
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, "0")}`;
}

/** The text with every invisible character written as its escape, e.g. "\u202E". */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, escape);
}
