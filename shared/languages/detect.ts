/**
 * Which of a bot's locales a message is written in. One detector for every stage (NLU, dialogue,
 * conversation Durable Object), in two steps:
 *
 * 1. Script: the message's letters are counted per script — a word for scripts written with spaces,
 *    a character for scripts written without (one Han character carries about as much as one word),
 *    ties going to the latter. Only the scripts of the candidate locales count: "我要听tfboys的歌" is
 *    Chinese, "can you translate 谢谢 for me" is English. If one candidate writes that script, done.
 * 2. Same script (en vs es): a naive-Bayes character n-gram model (1–3-grams of each word, hashed)
 *    per locale. The NLU trains it at `npm run train` from the bot's own examples plus each language's
 *    common words and punctuation (LANGUAGES); without a trained profile the language data alone is
 *    used. Words the languages' data list as common to both ("no", "ok") weigh nothing. The margin
 *    between the best two locales says whether the text really told them apart.
 *
 * Words with a digit ("ORD-4820193", "42", "iphone15") belong to no language; a message with nothing
 * else has no language of its own (`evidence: "none"`, and the first candidate — the bot's default —
 * is returned), so a caller can keep the conversation's last locale instead.
 */
import { hashStep, FNV_OFFSET } from "../hash.ts";
import { LANGUAGES, languageOf, type Locale } from "./languages.ts";
import { scriptOf, type ScriptName } from "./scripts.ts";
import { standsAlone } from "./segmentation.ts";

/** How a locale was chosen: given by the caller, detected, a best guess between close candidates, or none. */
export const LOCALE_EVIDENCE = ["given", "detected", "ambiguous", "none"] as const;
export type LocaleEvidence = (typeof LOCALE_EVIDENCE)[number];

export interface LocaleDetection {
  locale: Locale;
  evidence: Exclude<LocaleEvidence, "given">;
}

/** Hashed n-gram buckets per locale (a power of two). */
export const PROFILE_BUCKETS = 1 << 14;
const MAX_NGRAM = 3;
/**
 * Margin (nats) between the best two locales' log-likelihoods below which the text did not tell them
 * apart: naive Bayes over overlapping n-grams over-counts evidence, so this is well above 0.
 */
const MIN_MARGIN = 4;
/** Common words count this many times as much as one training example's words. */
const COMMON_WORD_WEIGHT = 3;

/** log P(n-gram bucket | locale) for each locale of a same-script group, as the NLU model stores it. */
export interface LanguageProfile {
  locales: Locale[];
  /** One PROFILE_BUCKETS-long table per entry of `locales`. */
  logProbabilities: Float32Array[];
}

interface Word {
  text: string;
  script: ScriptName;
}

/** Each language's own punctuation mark ("¿") → the script of that language. */
const punctuationMarks = new Map<string, ScriptName>(
  Object.values(LANGUAGES).flatMap((language) => [...language.punctuation].map((mark) => [mark, language.script] as const)),
);
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const DIGIT = /\p{N}/u;

/**
 * Visits the message's words until `visit` returns true. Characters of scripts written without
 * spaces are split out of a token first ("tfboys的歌" → "tfboys", "的歌"; "15多少钱" → "15", "多少钱");
 * then a word with a digit is dropped ("ORD-4820193", "iphone15"); the languages' own punctuation
 * marks ("¿") are one-character words. Words keep their case.
 */
function visitWords(text: string, visit: (word: string, script: ScriptName) => boolean): void {
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const token = match[0];
    const markScript = token.length === 1 ? punctuationMarks.get(token) : undefined;
    if (markScript !== undefined) {
      if (visit(token, markScript)) return;
      continue;
    }
    let start = 0;
    for (let i = 1; i <= token.length; i++) {
      if (i < token.length && standsAlone(token.charCodeAt(i)) === standsAlone(token.charCodeAt(start))) continue;
      let script: ScriptName | undefined;
      let digit = false;
      for (let j = start; j < i && !digit; j++) {
        const code = token.charCodeAt(j);
        digit = code < 0x80 ? code >= 0x30 && code <= 0x39 : DIGIT.test(token[j] ?? "");
        script ??= scriptOf(code);
      }
      const from = start;
      start = i;
      if (!digit && script !== undefined && visit(token.slice(from, i), script)) return;
    }
  }
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  visitWords(text, (word, script) => {
    words.push({ text: word.toLowerCase(), script });
    return false;
  });
  return words;
}

/** Single letters ("y", "a", "k") are too little to go on for a script written with spaces. */
function unitsOf(word: string, alone: boolean): number {
  return alone ? word.length : word.length >= 2 ? 1 : 0;
}

/** Hashed n-gram buckets of one word (padded with a space on each side), added to `out`. */
function addNgrams(word: string, out: number[]): void {
  const padded = ` ${word} `;
  for (let start = 0; start < padded.length; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= MAX_NGRAM && start + n <= padded.length; n++) {
      hash = hashStep(hash, padded.charCodeAt(start + n - 1));
      // A lone boundary space says nothing.
      if (n === 1 && (start === 0 || start === padded.length - 1)) continue;
      out.push((hash >>> 0) & (PROFILE_BUCKETS - 1));
    }
  }
}

/**
 * Trains a profile for the locales from their texts (the bot's examples), seeded with each
 * language's common words and punctuation so that a thin locale is still recognisable.
 * Smoothing (add-α with α = counted n-grams / buckets) gives every locale the same probability
 * for an n-gram it never saw, so a locale with more examples is not favoured for unknown words.
 */
export function trainLanguageProfile(textsByLocale: ReadonlyMap<Locale, readonly string[]>): LanguageProfile {
  const locales = [...textsByLocale.keys()];
  const logProbabilities = locales.map((locale) => {
    const counts = new Float64Array(PROFILE_BUCKETS);
    let total = 0;
    const add = (text: string, weight: number): void => {
      const buckets: number[] = [];
      for (const word of wordsOf(text)) addNgrams(word.text, buckets);
      for (const bucket of buckets) counts[bucket] = (counts[bucket] ?? 0) + weight;
      total += buckets.length * weight;
    };
    for (const text of textsByLocale.get(locale) ?? []) add(text, 1);
    const language = languageOf(locale);
    for (const word of [...language.commonWords, ...language.punctuation]) add(word, COMMON_WORD_WEIGHT);
    const alpha = Math.max(total / PROFILE_BUCKETS, 1e-3);
    const denominator = total + alpha * PROFILE_BUCKETS;
    return Float32Array.from(counts, (count) => Math.log((count + alpha) / denominator));
  });
  return { locales, logProbabilities };
}

/** A bot with one locale only asks whether the message has a word of its script (the first one found will do). */
function hasWordsOf(text: string, locale: Locale): boolean {
  const { script, segmentation } = languageOf(locale);
  let found = false;
  visitWords(text, (word, wordScript) => (found = wordScript === script && unitsOf(word, segmentation === "characters") > 0));
  return found;
}

/** Words listed as common by two or more of the locales: they weigh nothing between those locales. */
const sharedWordSets = new Map<string, Set<string>>();

function sharedWords(locales: readonly Locale[]): Set<string> {
  const key = locales.join(",");
  let shared = sharedWordSets.get(key);
  if (!shared) {
    const seen = new Map<string, number>();
    for (const locale of locales) for (const word of new Set(languageOf(locale).commonWords)) seen.set(word, (seen.get(word) ?? 0) + 1);
    shared = new Set([...seen].filter(([, count]) => count >= 2).map(([word]) => word));
    sharedWordSets.set(key, shared);
  }
  return shared;
}

/** Profiles from the language data alone, for callers without a trained one (built once per group). */
const dataProfiles = new Map<string, LanguageProfile>();

function dataProfile(locales: readonly Locale[]): LanguageProfile {
  const key = locales.join(",");
  let profile = dataProfiles.get(key);
  if (!profile) {
    profile = trainLanguageProfile(new Map(locales.map((locale) => [locale, []])));
    dataProfiles.set(key, profile);
  }
  return profile;
}

/**
 * The locale among `candidates` (the bot's locales, default first) that `text` is written in.
 * `profile` is the bot's trained profile (the NLU model has one when two of its locales share a script).
 */
export function detectLocale(text: string, candidates: readonly [Locale, ...Locale[]], profile?: LanguageProfile | null): LocaleDetection {
  if (candidates.length === 1) return { locale: candidates[0], evidence: hasWordsOf(text, candidates[0]) ? "detected" : "none" };
  const words = wordsOf(text);
  const scripts = new Set(candidates.map((locale) => languageOf(locale).script));
  let best: { script: ScriptName; units: number; alone: boolean } | undefined;
  for (const script of scripts) {
    const alone = candidates.some((locale) => languageOf(locale).script === script && languageOf(locale).segmentation === "characters");
    const units = words.filter((word) => word.script === script).reduce((sum, word) => sum + unitsOf(word.text, alone), 0);
    if (units === 0) continue;
    if (!best || units > best.units || (units === best.units && alone && !best.alone)) best = { script, units, alone };
  }
  if (!best) return { locale: candidates[0], evidence: "none" };
  const script = best.script;
  const group = candidates.filter((locale) => languageOf(locale).script === script);
  const [first] = group;
  if (first === undefined) return { locale: candidates[0], evidence: "none" };
  if (group.length === 1) return { locale: first, evidence: "detected" };

  const usable = profile && group.every((locale) => profile.locales.includes(locale)) ? profile : dataProfile(group);
  const shared = sharedWords(group);
  const buckets: number[] = [];
  for (const word of words) if (word.script === script && !shared.has(word.text)) addNgrams(word.text, buckets);
  // Only words the languages share ("no", "ok"): nothing tells them apart.
  if (buckets.length === 0) return { locale: first, evidence: "ambiguous" };
  const scores = group.map((locale) => {
    const table = usable.logProbabilities[usable.locales.indexOf(locale)];
    let score = 0;
    if (table) for (const bucket of buckets) score += table[bucket] ?? 0;
    return { locale, score };
  });
  scores.sort((a, b) => b.score - a.score);
  const [top, second] = scores;
  if (!top || !second) return { locale: first, evidence: "none" };
  return { locale: top.locale, evidence: top.score - second.score >= MIN_MARGIN ? "detected" : "ambiguous" };
}
