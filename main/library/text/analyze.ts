import { stemmer as stemEnglish } from "@orama/stemmers/english";
import { stemmer as stemRussian } from "@orama/stemmers/russian";

// Letters, digits and combining marks. A term never holds ASCII punctuation or spaces, so FTS5's
// ascii tokenizer splits the index text only where analyze() put a space.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
// Tokens are lower-cased letters, digits and marks: only those outside a-z, 0-9 and а-я need folding.
const NEEDS_FOLDING = /[^a-z0-9\u0430-\u044f]/;
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/;
const MAX_TOKEN_CHARS = 64;

/**
 * Lower-cases and folds a token: ё→е, Latin diacritics and stress marks removed. The breve of
 * й/ў stays: it makes a different letter in Russian, and Snowball's Russian stemmer expects it.
 */
export function fold(token: string): string {
  let s = token.toLowerCase();
  if (NEEDS_FOLDING.test(s)) {
    s = s
      .normalize("NFD")
      .replace(/([иу])\u0306|\p{M}/gu, (mark, base: string | undefined) => (base ? mark : ""))
      .normalize("NFC");
  }
  return s.includes("ё") ? s.replaceAll("ё", "е") : s;
}

/** Russian Snowball for Cyrillic words, English Snowball for Latin ones, others as they are. */
export function stem(folded: string): string {
  if (folded.length > MAX_TOKEN_CHARS) return folded;
  if (CYRILLIC.test(folded)) return stemRussian(folded);
  if (LATIN.test(folded)) return stemEnglish(folded);
  return folded;
}

// Word frequencies are Zipfian, so a cache keyed by the lower-cased token skips most folding and
// stemming: it doubles indexing throughput.
const termCache = new Map<string, string>();
const TERM_CACHE_LIMIT = 200_000;

function termOfLower(lower: string): string {
  let term = termCache.get(lower);
  if (term === undefined) {
    term = stem(fold(lower));
    if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
    termCache.set(lower, term);
  }
  return term;
}

export function termOf(token: string): string {
  return termOfLower(token.toLowerCase());
}

/** The text the FTS5 index stores for a field: its terms, space-separated. */
export function analyze(text: string): string {
  // The tokens TOKEN finds, found by a scan over a table of code units: several times faster than
  // matchAll with a Unicode property class, and this runs over every byte indexed.
  const lower = text.toLowerCase();
  let out = "";
  let separator = "";
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    let width = 1;
    let inToken: boolean;
    if (c < 0xd800 || c > 0xdfff) inToken = isTokenUnit(c);
    else if (c <= 0xdbff && i + 1 < lower.length && (lower.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      width = 2;
      inToken = TOKEN_CHAR.test(lower.slice(i, i + 2));
    } else inToken = false;
    if (inToken) {
      if (start === -1) start = i;
      if (width === 2) i++;
    } else if (start !== -1) {
      out += separator + termOfLower(lower.slice(start, i));
      separator = " ";
      start = -1;
    }
  }
  if (start !== -1) out += separator + termOfLower(lower.slice(start));
  return out;
}

const TOKEN_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
/** Per code unit outside the surrogates: 0 not yet known, 1 part of a token, 2 not. */
const unitKinds = new Uint8Array(0x10000);

function isTokenUnit(c: number): boolean {
  let kind = unitKinds[c]!;
  if (kind === 0) unitKinds[c] = kind = TOKEN_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return kind === 1;
}

export interface Token {
  start: number;
  end: number;
  term: string;
}

/** Tokens with their offsets in the original text, for highlighting. */
export function* tokenize(text: string): Generator<Token> {
  for (const match of text.matchAll(TOKEN)) {
    yield { start: match.index, end: match.index + match[0].length, term: termOf(match[0]) };
  }
}

/** The distinct terms of a query, in order of first appearance. */
export function queryTerms(text: string, limit: number): string[] {
  const terms = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    terms.add(termOf(match[0]));
    if (terms.size >= limit) break;
  }
  return [...terms];
}
