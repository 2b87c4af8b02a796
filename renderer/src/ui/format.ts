// Numbers as people read them, in the UI's language.
import type { ApiError } from "../../../shared/api.js";
import { CallError } from "../api.js";
import { translate, type Language } from "../i18n/index.js";

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** 1536 → "1.5 kB" / "1,5 кБ"; 7 → "7 bytes" / "7 байт". */
export function formatBytes(bytes: number, language: Language): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(language, { style: "unit", unit: UNITS[unit], unitDisplay: unit === 0 ? "long" : "short", maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(language).format(value);
}

/**
 * What to show a person for a failed call: main's message is written for them (in English); in
 * another language a known code's translation comes first, with main's message as the detail. The
 * language is not optional: a caller that left it out showed main's English in the Russian UI.
 */
export function messageOf(cause: unknown, language: Language): string {
  if (cause instanceof CallError) return describeError(cause, language);
  return cause instanceof Error ? cause.message : String(cause);
}

export function describeError(error: ApiError, language: Language): string {
  if (language === "en") return error.message;
  const key = `error.${error.code}`;
  const name = translate(language, key);
  if (name === key) return error.message;
  return error.message ? `${name}: ${error.message}` : name;
}
