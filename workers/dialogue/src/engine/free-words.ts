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
 * first read as the closest word that one does, within one or two edits ("diferent" → "different").
 */
import type { BotDefinition, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { tokenize } from "./faq/tokenize.ts";

/** One locale's view of a slot's values: the words of each value, and how many values use each word. */
interface CategoryIndex {
  locale: Locale;
  words: Map<string, ReadonlySet<string>>;
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
  return { locale, words, vocabulary: [...words.keys()].filter(isRepairableWord).sort(), valueCount: values.length };
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
      total += unknownWeight;
      continue;
    }
    const weight = weightOf(users.size);
    total += weight;
    for (const value of users) scores.set(value, (scores.get(value) ?? 0) + weight);
  }
  for (const [value, weight] of scores) scores.set(value, total > 0 ? weight / total : 0);
  return scores;
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

/** A word typos are repaired in: letters of a space-separated language, six or more of them. */
function isRepairableWord(token: string): boolean {
  return token.length >= 6 && /^[a-z\u00c0-\u024f]+$/.test(token);
}

/**
 * The token, or the index's closest word if no value uses the token: within the edits a typo allows
 * (one up to eight letters, two from nine on; a swap of neighbours is one edit), starting with the
 * same letter (people rarely mistype the first one; "smelly" must not become "smaller"). Words under
 * six letters are left alone: among short words one edit away is too often another word. Ties go to
 * the word first in alphabetical order.
 */
function repairTypo(index: CategoryIndex, token: string): string {
  if (index.words.has(token) || !isRepairableWord(token)) return token;
  const allowed = token.length >= 9 ? 2 : 1;
  let closest = token;
  let closestDistance = allowed + 1;
  for (const word of index.vocabulary) {
    if (word[0] !== token[0] || Math.abs(word.length - token.length) > allowed) continue;
    const distance = editDistance(token, word, closestDistance - 1);
    if (distance < closestDistance) {
      closest = word;
      closestDistance = distance;
    }
  }
  return closest;
}

/** Damerau–Levenshtein distance (optimal string alignment), or `limit + 1` once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
