/**
 * Retrieval tokens, from the language data (shared/languages): words of space-separated languages
 * are lowercased, folded to their unaccented letters (people type "envio" for "envío") and lightly
 * suffix-stripped, without the locale's FAQ stop words. Scripts written without spaces (Chinese)
 * give every character and every pair of neighbours (bigram), so "信用卡年费" matches "年费" and
 * "信用卡" without a dictionary.
 */
import { LANGUAGES, charStandsAlone, languageOf, type Locale } from "../../../../../shared/languages/index.ts";
import { RETRIEVAL_LANGUAGES } from "../../../../../shared/languages/retrieval.ts";

const fold = (word: string): string => word.normalize("NFD").replace(/\p{M}/gu, "");

const WORD_STOPS = new Map<Locale, ReadonlySet<string>>();
function wordStops(locale: Locale): ReadonlySet<string> {
  let stops = WORD_STOPS.get(locale);
  if (!stops) {
    stops = new Set(languageOf(locale).faqStopWords.map((word) => fold(word.toLowerCase())));
    WORD_STOPS.set(locale, stops);
  }
  return stops;
}

/** The stop characters of the languages written without spaces (whatever the index's locale). */
const CHARACTER_STOPS: ReadonlySet<string> = new Set(
  Object.values(LANGUAGES)
    .filter((language) => language.segmentation === "characters")
    .flatMap((language) => language.faqStopWords),
);

/**
 * Pairs of those characters that ask rather than say what about (怎么, 什么, 多少 …: document
 * retrieval's stop pairs, shared/languages/retrieval.ts): "…怎么办" would otherwise match every
 * question that ends the same way. The pairs that straddle them are left out too (addCharacterTokens);
 * their characters are kept, as the stop characters decide.
 */
const PAIR_STOPS: ReadonlySet<string> = new Set(
  (Object.keys(LANGUAGES) as Locale[]).filter((locale) => LANGUAGES[locale].segmentation === "characters").flatMap((locale) => RETRIEVAL_LANGUAGES[locale].stopWords),
);

const WORD_RUN = /[\p{L}\p{M}\p{N}]+(?:['’.][\p{L}\p{M}\p{N}]+)*/gu;

export function tokenize(text: string, locale: Locale): string[] {
  return tokenizeWithSurfaces(text, locale).map(({ token }) => token);
}

/**
 * A retrieval token with the word it was made from (lowercased, unaccented, before stemming), for
 * typo repair on what was typed ("throte" is two edits from "throat", its stem one letter shorter);
 * undefined for the tokens of a script written without spaces.
 */
export interface SurfacedToken {
  token: string;
  surface: string | undefined;
}

/** `tokenize`, keeping each token's surface word. */
export function tokenizeWithSurfaces(text: string, locale: Locale): SurfacedToken[] {
  const tokens: SurfacedToken[] = [];
  const stops = wordStops(locale);
  for (const [run] of text.normalize("NFKC").toLowerCase().matchAll(WORD_RUN)) {
    // A run may mix both kinds ("iphone15多少钱"): split out the characters that stand alone.
    let word = "";
    let alone = "";
    for (const char of run) {
      if (charStandsAlone(char)) {
        if (word !== "") addWordToken(word, stops, tokens);
        word = "";
        alone += char;
      } else {
        if (alone !== "") addCharacterTokens(alone, tokens);
        alone = "";
        word += char;
      }
    }
    if (word !== "") addWordToken(word, stops, tokens);
    if (alone !== "") addCharacterTokens(alone, tokens);
  }
  return tokens;
}

function addCharacterTokens(run: string, tokens: SurfacedToken[]): void {
  const chars = [...run];
  const isStopPair = (at: number): boolean => at >= 0 && at + 1 < chars.length && PAIR_STOPS.has(`${chars[at]}${chars[at + 1]}`);
  chars.forEach((char, i) => {
    if (!CHARACTER_STOPS.has(char)) tokens.push({ token: char, surface: undefined });
    const next = chars[i + 1];
    // Nor do the pairs that straddle one (收多, 少钱 in 收多少钱): half a question word and half a word,
    // which tie "how much is X" to every stored question that asks "how much" about something else.
    if (next !== undefined && !isStopPair(i) && !isStopPair(i - 1) && !isStopPair(i + 1)) tokens.push({ token: char + next, surface: undefined });
  });
}

function addWordToken(word: string, stops: ReadonlySet<string>, tokens: SurfacedToken[]): void {
  const cleaned = fold(word.replace(/['’]s$/, "").replace(/['’.]/g, ""));
  if (cleaned === "" || stops.has(cleaned)) return;
  tokens.push({ token: stem(cleaned), surface: cleaned });
}

/**
 * Just enough stemming for FAQ lookup: fees/fee, cards/card, charged/charge, saving/save (written for
 * English; for Spanish it strips plurals, tarjetas/tarjeta, and leaves most else alone).
 */
function stem(word: string): string {
  const stripped = stripSuffix(word);
  // "charge" and "charged" → "charg"; "fee" stays (a double e is part of the word).
  return stripped.length > 3 && stripped.endsWith("e") && !stripped.endsWith("ee") ? stripped.slice(0, -1) : stripped;
}

function stripSuffix(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ing") && word.length > 5) return word.slice(0, -3).replace(/(.)\1$/, "$1");
  if (word.endsWith("ed") && word.length > 4) return word.slice(0, -2).replace(/(.)\1$/, "$1");
  if (word.endsWith("es") && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}
