// The UI in English and Russian. Each feature keeps its strings in its own dictionary file here;
// a dictionary is { en: {...}, ru: {...} } with the same keys, checked by the type below.
import { createContext, useContext } from "react";
import { common } from "./common.js";

export type Language = "en" | "ru";
export type Dictionary<K extends string> = { en: Record<K, string>; ru: Record<K, string> };

const dictionaries = [common];

/** Replaces {name} with vars.name; {count} also picks a plural form written as "one|few|many" (ru) or "one|other" (en). */
export function translate(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  let template: string | undefined;
  for (const dictionary of dictionaries) {
    template = (dictionary[language] as Record<string, string>)[key];
    if (template !== undefined) break;
  }
  if (template === undefined) return key;
  if (template.includes("|") && typeof vars.count === "number") {
    const forms = template.split("|");
    const rule = new Intl.PluralRules(language).select(vars.count);
    const index = language === "ru" ? ({ one: 0, few: 1 } as Record<string, number>)[rule] ?? 2 : rule === "one" ? 0 : 1;
    template = forms[Math.min(index, forms.length - 1)] ?? template;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Adds a feature's strings. Call once per dictionary, at module load. */
export function register(dictionary: Dictionary<string>): void {
  dictionaries.push(dictionary);
}

export const LanguageContext = createContext<Language>("en");

export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const language = useContext(LanguageContext);
  return (key, vars) => translate(language, key, vars);
}

export function useLanguage(): Language {
  return useContext(LanguageContext);
}
