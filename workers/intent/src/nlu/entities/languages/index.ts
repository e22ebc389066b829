/**
 * The built-in extractors' word lists per language. Adding a language to shared/languages needs an
 * entry here only if it has number words, currency words or date/time words of its own.
 */
import { languageOf, LOCALES, type Locale } from "../../../../../../shared/languages/index.ts";
import { en } from "./en.ts";
import { es } from "./es.ts";
import type { LanguageExtractors } from "./types.ts";
import { zh } from "./zh.ts";

export type { DateMatch, DatePattern, DigitFormat, LanguageExtractors, TimeMatch, TimePattern } from "./types.ts";

const BY_LOCALE: Partial<Record<Locale, LanguageExtractors>> = { en, zh, es };

export interface MessageExtractors {
  /** The message's own language's lists (its digit grouping, its meaning of "¥"). */
  own: LanguageExtractors;
  /** Every language whose lists read the message, in the registry's order (own included). */
  active: LanguageExtractors[];
}

/**
 * Which languages' lists read a message in `locale`: its own, and those of languages written in
 * another script (Chinese numerals in an English sentence are still Chinese numerals) — but not those
 * of another language of the same script ("once" is eleven in Spanish, not in English).
 */
export function extractorsFor(locale: Locale): MessageExtractors {
  const script = languageOf(locale).script;
  const active = LOCALES.filter((other) => other === locale || languageOf(other).script !== script).flatMap((other) => {
    const lists = BY_LOCALE[other];
    return lists ? [lists] : [];
  });
  return { own: BY_LOCALE[locale] ?? {}, active };
}

/** One compiled value per locale, built on first use (the regexes of a locale's active lists). */
export function perLocale<Value>(build: (locale: Locale) => Value): (locale: Locale) => Value {
  const cache = new Map<Locale, Value>();
  return (locale) => {
    let value = cache.get(locale);
    if (value === undefined) {
      value = build(locale);
      cache.set(locale, value);
    }
    return value;
  };
}

/** A literal string as a regex source, its spaces matching any run of whitespace. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
}
