/**
 * Free-words answers to an enum slot ("the colour looks nothing like the photos" → not_as_described):
 * the answer's words are weighed against each value's example phrases, label, synonyms and name,
 * tokenised as the FAQ tokenises (faq/tokenize.ts: English lightly stemmed, Spanish accent-folded,
 * Chinese as characters and bigrams, stop words left out), so it works alike in every bot language.
 *
 * A value's confidence is the share of the answer that speaks for it: each word weighs by how few of
 * the slot's values use it (log(1 + values / values using it): a word of one value only weighs most),
 * a word no value uses weighs half the most (people add words of their own: it dilutes the answer,
 * but less than a word of another value would), and the value's confidence is the weight of its
 * words over the weight of all. One index per slot and locale, built once per bot. A word no value uses is
 * first read as the closest word that one does, within one or two edits ("diferent" → "different", typos.ts).
 *
 * Two refinements, checked by leave-one-out on the example bots' own examples (each example read as
 * an answer with it left out of its slot's index; bench/free-words-loo.ts, docs/bots.md):
 * - A pair of Chinese characters no value uses is left out of the weighing, as in document retrieval
 *   (shared/knowledge/search.ts): most such pairs straddle two words ("差得", "得太" in 跟网上的图差得太远了)
 *   and would dilute every Chinese answer. Its characters still count.
 * - An answer that contains the whole of one example, plus words of its own, is nearly as clear as the
 *   example itself ("it's way too tight around the shoulders" holds "it's too tight"): a value's
 *   confidence is at least EXAMPLE_COVERAGE_WEIGHT when the answer contains every weighted word of one
 *   of its examples (the FAQ reads a message that contains a stored question the same way, faq/bm25.ts);
 *   part of an example counts for nothing extra.
 *   Two values that both reach `accept` this way are still only asked about.
 */
import type { BotDefinition, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import { charStandsAlone, localeEntries } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { tokenize } from "./faq/tokenize.ts";
import { closestWord, isRepairableWord } from "../../../../shared/typos.ts";

/** One locale's view of a slot's values: the words of each value, and how many values use each word. */
interface CategoryIndex {
  locale: Locale;
  words: Map<string, ReadonlySet<string>>;
  /** Each example's distinct words, with the value it speaks for. */
  examples: ReadonlyArray<{ value: string; words: readonly string[] }>;
  /** Every word some value uses, for typo repair. */
  vocabulary: readonly string[];
  valueCount: number;
}

/** One slot's values as words, per locale the bot speaks. */
export interface SlotCategories {
  indexes: Partial<Record<Locale, CategoryIndex>>;
}

export interface CategoryMatch {
  value: string;
  /** 0–1: the share of the answer's weight in words the value uses. */
  confidence: number;
}

/** Default levels of a slot's `freeWords` (shared/schemas/bot.ts). */
export const FREE_WORDS_DEFAULTS = { accept: 0.6, confirm: 0.3 } as const;

/** What a word no value uses weighs, relative to a word of one value only. */
const UNKNOWN_WORD_WEIGHT = 0.5;

/** An answer that contains a whole example counts for this share of certainty (the FAQ's 0.9 for a stored question). */
const EXAMPLE_COVERAGE_WEIGHT = 0.9;

/** Indexes for every enum slot that has free-words `examples`; other slots take named values only. */
export function buildSlotCategories(definition: BotDefinition): Record<string, SlotCategories> {
  const categories: Record<string, SlotCategories> = {};
  for (const [name, slot] of Object.entries(definition.slots)) {
    if (slot.type !== "enum" || slot.examples === undefined) continue;
    categories[name] = { indexes: Object.fromEntries(definition.locales.map((locale) => [locale, buildCategoryIndex(slot, locale)])) };
  }
  return categories;
}

function buildCategoryIndex(slot: SlotDefinition, locale: Locale): CategoryIndex {
  const values = slot.values ?? [];
  const words = new Map<string, Set<string>>();
  for (const value of values) {
    const texts = [value.replace(/_/g, " "), ...(slot.synonyms?.[value] ?? []), ...(slot.examples?.[value]?.[locale] ?? [])];
    const label = slot.labels?.[value]?.[locale];
    if (label !== undefined) texts.push(label);
    for (const text of texts) {
      for (const token of tokenize(text, locale)) {
        const users = words.get(token) ?? new Set<string>();
        users.add(value);
        words.set(token, users);
      }
    }
  }
  const examples = values.flatMap((value) => (slot.examples?.[value]?.[locale] ?? []).map((text) => ({ value, words: [...new Set(tokenize(text, locale))] })));
  return { locale, words, examples, vocabulary: [...words.keys()].filter((word) => isRepairableWord(word)).sort(), valueCount: values.length };
}

/**
 * The slot's values the answer speaks for, best first, read in the answer's locale (the turn's; its
 * words are what that language's tokens and stop words expect), else the bot's default.
 */
export function matchCategories(categories: SlotCategories, text: string, locale: Locale, defaultLocale: Locale): CategoryMatch[] {
  const index = categories.indexes[locale] ?? categories.indexes[defaultLocale];
  if (!index) return [];
  return [...scoreValues(index, text)]
    .map(([value, confidence]) => ({ value, confidence }))
    .sort((a, b) => b.confidence - a.confidence || a.value.localeCompare(b.value));
}

function scoreValues(index: CategoryIndex, text: string): Map<string, number> {
  const scores = new Map<string, number>();
  const tokens = [...new Set(tokenize(text, index.locale).map((token) => repairTypo(index, token)))];
  const weightOf = (users: number) => Math.log(1 + index.valueCount / users);
  const unknownWeight = UNKNOWN_WORD_WEIGHT * weightOf(1);
  let total = 0;
  for (const token of tokens) {
    const users = index.words.get(token);
    if (!users || users.size === 0) {
      if (!isCharacterPair(token)) total += unknownWeight;
      continue;
    }
    const weight = weightOf(users.size);
    total += weight;
    for (const value of users) scores.set(value, (scores.get(value) ?? 0) + weight);
  }
  for (const [value, weight] of scores) scores.set(value, total > 0 ? weight / total : 0);
  // An example the answer contains whole (by weight) speaks for its value.
  const answer = new Set(tokens);
  for (const example of index.examples) {
    let weight = 0;
    let contained = 0;
    for (const word of example.words) {
      const users = index.words.get(word);
      const wordWeight = users && users.size > 0 ? weightOf(users.size) : 0;
      weight += wordWeight;
      if (answer.has(word)) contained += wordWeight;
    }
    // Only a whole example: a part of one ("… en la foto" of "no es como en la foto") says too little.
    const coverage = weight > 0 && contained >= weight ? EXAMPLE_COVERAGE_WEIGHT : 0;
    if (coverage > (scores.get(example.value) ?? 0)) scores.set(example.value, coverage);
  }
  return scores;
}

/** Two characters of a script written without spaces: a pair token of the FAQ's tokeniser. */
function isCharacterPair(token: string): boolean {
  const chars = [...token];
  return chars.length === 2 && chars.every((char) => charStandsAlone(char));
}

/** What a free-words answer comes to for a slot: a value to take, a value to check first, or nothing. */
export type FreeWordsAnswer = { kind: "accept" | "confirm"; value: string; confidence: number } | undefined;

/**
 * The slot's levels applied to the matches: the best value is taken from `accept` on — unless a
 * second value reaches `accept` too (the answer's words speak for both: "I bought the wrong one by
 * accident") — and checked first ("That sounds like …?") from `confirm` on; below, not understood.
 */
export function judgeFreeWords(slot: SlotDefinition, matches: readonly CategoryMatch[]): FreeWordsAnswer {
  const { accept, confirm } = slot.freeWords ?? FREE_WORDS_DEFAULTS;
  const [best, second] = matches;
  if (!best || best.confidence < confirm) return undefined;
  const clear = best.confidence >= accept && (second === undefined || second.confidence < accept);
  return { kind: clear ? "accept" : "confirm", value: best.value, confidence: best.confidence };
}

/** How a value reads to the user in a locale: its label there, else its name with spaces. */
export function enumLabel(slot: SlotDefinition, value: string, locale: Locale, defaultLocale: Locale): string {
  const labels = slot.labels?.[value];
  return labels?.[locale] ?? labels?.[defaultLocale] ?? (labels ? localeEntries(labels)[0]?.[1] : undefined) ?? value.replace(/_/g, " ");
}

/**
 * The token, or the index's closest word if no value uses the token (typos.ts: within one or two
 * edits, same first letter, five letters or more).
 */
function repairTypo(index: CategoryIndex, token: string): string {
  if (index.words.has(token)) return token;
  return closestWord(token, index.vocabulary) ?? token;
}
