/**
 * The terms a passage or a question is indexed and searched by, per language (shared/languages):
 *
 * - Words of space-separated languages: NFKC, lowercase, accents folded ("envío" = "envio"), the
 *   possessive "'s" dropped, stop words (the registry's FAQ list plus retrieval.ts's) left out, and
 *   stemmed (English: Porter2; Spanish: a light stemmer). Numbers stay whole ("1,000" → "1000",
 *   "2.5" stays) so "30 days" does not match "3 days".
 * - Scripts written without spaces (Chinese): every character (but stop characters such as 的 了)
 *   and every pair of neighbouring characters. The pairs act as words and as phrase evidence at
 *   once ("退货运费" gives 退货, 货运, 运费), with no dictionary and the same result in Node and workerd;
 *   a dictionary segmenter (Intl.Segmenter) added nothing on the CMRC 2018 set (docs/knowledge.md).
 *
 * Latin words inside Chinese text ("iPhone 15 保修") are treated as English words.
 *
 * With `exactForms`, each stemmed word also gives its unstemmed (folded) form as a term of its own,
 * marked with EXACT_FORM_PREFIX ("working" → `work`, `=working`): the index counts a match of the
 * very word a little on top of the stem's, which tells "working abroad" from "work for the bank"
 * and "personal" from "person", where the stemmer joins them (docs/knowledge.md, "Ranking").
 */
import { stem as porter2 } from "porter2";
import { LANGUAGES, charStandsAlone, type Locale } from "../languages/index.ts";
import { RETRIEVAL_LANGUAGES } from "../languages/retrieval.ts";
import { stemSpanish } from "./stem-spanish.ts";

const fold = (word: string): string => word.normalize("NFD").replace(/\p{M}/gu, "");

interface WordRules {
  stops: ReadonlySet<string>;
  stem: (word: string) => string;
  exactForms?: boolean;
}

const RULES = new Map<Locale, WordRules>();

/** The word rules of a locale; a characters locale's Latin words follow English. */
function wordRules(locale: Locale): WordRules {
  let rules = RULES.get(locale);
  if (rules) return rules;
  const wordsLocale: Locale = LANGUAGES[locale].segmentation === "characters" ? "en" : locale;
  const language = RETRIEVAL_LANGUAGES[wordsLocale];
  const stops = new Set([...LANGUAGES[wordsLocale].faqStopWords, ...language.stopWords].map((word) => fold(word.toLowerCase()).replace(/['’]/g, "")));
  const stem = language.stemmer === "porter2" ? porter2 : language.stemmer === "spanish" ? stemSpanish : (word: string) => word;
  rules = { stops, stem };
  RULES.set(locale, rules);
  return rules;
}

const CHARACTER_LOCALES = (Object.keys(LANGUAGES) as Locale[]).filter((locale) => LANGUAGES[locale].segmentation === "characters");

/** Stop characters of the languages written without spaces (whatever the index's locale). */
const CHARACTER_STOPS: ReadonlySet<string> = new Set(CHARACTER_LOCALES.flatMap((locale) => LANGUAGES[locale].faqStopWords));

/** Stop pairs of those languages (question words: 怎么, 多少 …). */
const PAIR_STOPS: ReadonlySet<string> = new Set(CHARACTER_LOCALES.flatMap((locale) => RETRIEVAL_LANGUAGES[locale].stopWords));

/** A run of letters, marks and digits, with inner apostrophes, dots and commas ("don't", "2.5", "1,000"). */
const WORD_RUN = /[\p{L}\p{M}\p{N}]+(?:['’.,][\p{L}\p{M}\p{N}]+)*/gu;
const NUMBER = /^\d+(?:[.,]\d+)*$/;
/** "1,000" and "12,500.75": commas between groups of three are thousands separators, not decimals. */
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Marks an exact-form term (no analysed word starts with it: words are letters and digits). */
export const EXACT_FORM_PREFIX = "=";

/** The terms of a text, in order (duplicates kept: term frequency counts them). */
export function analyze(text: string, locale: Locale, { exactForms = false }: { exactForms?: boolean } = {}): string[] {
  const terms: string[] = [];
  const rules = exactForms ? { ...wordRules(locale), exactForms } : wordRules(locale);
  for (const [run] of text.normalize("NFKC").toLowerCase().matchAll(WORD_RUN)) {
    // A run may mix both kinds ("iphone15保修"): split out the characters that stand alone.
    let word = "";
    let alone = "";
    for (const char of run) {
      if (charStandsAlone(char)) {
        if (word !== "") addWord(word, rules, terms);
        word = "";
        alone += char;
      } else {
        if (alone !== "") addCharacters(alone, terms);
        alone = "";
        word += char;
      }
    }
    if (word !== "") addWord(word, rules, terms);
    if (alone !== "") addCharacters(alone, terms);
  }
  return terms;
}

function addCharacters(run: string, terms: string[]): void {
  const chars = [...run];
  chars.forEach((char, i) => {
    if (!CHARACTER_STOPS.has(char)) terms.push(char);
    const next = chars[i + 1];
    if (next !== undefined && !PAIR_STOPS.has(char + next)) terms.push(char + next);
  });
}

function addWord(raw: string, rules: WordRules, terms: string[]): void {
  const word = fold(raw.replace(/['’]s$/, "").replace(/['’]/g, ""));
  // A number keeps its decimals and loses its thousands separators; elsewhere . and , split words.
  const parts = NUMBER.test(word) ? [THOUSANDS.test(word) ? word.replace(/,/g, "") : word.replace(/,/g, ".")] : word.split(/[.,]/);
  for (const part of parts) {
    if (part === "" || rules.stops.has(part)) continue;
    if (/\d/.test(part)) terms.push(part);
    else {
      terms.push(rules.stem(part));
      if (rules.exactForms) terms.push(EXACT_FORM_PREFIX + part);
    }
  }
}
