/**
 * Free-words answers to an enum slot ("the colour looks nothing like the photos" → not_as_described):
 * the answer is scored against each value's example phrases, labels and synonyms with the FAQ's
 * retrieval (faq/: the same tokens in every language — English stemmed, Spanish accent-folded,
 * Chinese as characters and bigrams — BM25 ranking and the same 0–1 confidence), one small index per
 * slot and locale, built once per bot. A word the index does not know is read as the index's closest
 * word within one or two edits ("colur" → "colour"), so typos still match.
 */
import type { BotDefinition, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { buildFaqIndex, searchTokens, type FaqIndex } from "./faq/bm25.ts";
import { tokenize } from "./faq/tokenize.ts";

/** One slot's values as retrievable texts, per locale, with each index's words (for typo repair). */
export interface SlotCategories {
  indexes: Array<{ index: FaqIndex; words: readonly string[] }>;
}

export interface CategoryMatch {
  value: string;
  /** 0–1: how well the answer and the value's closest text cover each other (see faq/bm25.ts). */
  confidence: number;
}

/** Default levels of a slot's `freeWords` (shared/schemas/bot.ts). */
export const FREE_WORDS_DEFAULTS = { accept: 0.6, confirm: 0.3 } as const;

/** Indexes for every enum slot that has free-words `examples`; other slots take named values only. */
export function buildSlotCategories(definition: BotDefinition): Record<string, SlotCategories> {
  const categories: Record<string, SlotCategories> = {};
  for (const [name, slot] of Object.entries(definition.slots)) {
    if (slot.type !== "enum" || slot.examples === undefined) continue;
    categories[name] = {
      indexes: definition.locales.map((locale) => {
        const index = buildFaqIndex(categoryTexts(slot, locale), locale);
        return { index, words: [...index.documentFrequency.keys()].filter(isRepairableWord) };
      }),
    };
  }
  return categories;
}

/** Every text that stands for a value in a locale: its examples and label there, its synonyms, its name. */
function categoryTexts(slot: SlotDefinition, locale: Locale): Array<{ entryId: string; text: string; isQuestion: boolean }> {
  const texts: Array<{ entryId: string; text: string; isQuestion: boolean }> = [];
  for (const value of slot.values ?? []) {
    const add = (text: string) => texts.push({ entryId: value, text, isQuestion: true });
    add(value.replace(/_/g, " "));
    for (const synonym of slot.synonyms?.[value] ?? []) add(synonym);
    const label = slot.labels?.[value]?.[locale];
    if (label !== undefined) add(label);
    for (const example of slot.examples?.[value]?.[locale] ?? []) add(example);
  }
  return texts;
}

/**
 * The slot's values the answer comes close to, best first, one entry per value. Every locale's index
 * is searched (a reply may mix languages, or come in another language than the conversation's) and
 * each value keeps its best confidence.
 */
export function matchCategories(categories: SlotCategories, text: string): CategoryMatch[] {
  const best = new Map<string, number>();
  for (const { index, words } of categories.indexes) {
    const vocabulary = new Set(words);
    const tokens = tokenize(text, index.locale).map((token) =>
      index.documentFrequency.has(token) || !isRepairableWord(token) ? token : (closestWord(token, words, vocabulary) ?? token),
    );
    for (const match of searchTokens(index, tokens)) {
      best.set(match.entryId, Math.max(best.get(match.entryId) ?? 0, match.confidence));
    }
  }
  return [...best].map(([value, confidence]) => ({ value, confidence })).sort((a, b) => b.confidence - a.confidence);
}

/** What a free-words answer comes to for a slot: a value to take, a value to check first, or nothing. */
export type FreeWordsAnswer = { kind: "accept" | "confirm"; value: string; confidence: number } | undefined;

/**
 * The slot's levels applied to the matches: the best value is taken from `accept` on, unless a
 * second value is as close (then, like an answer between `confirm` and `accept`, it is checked).
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

/** A word typos are repaired in: letters of a space-separated language, five or more of them. */
function isRepairableWord(token: string): boolean {
  return token.length >= 5 && /^[a-z\u00c0-\u024f]+$/.test(token);
}

/**
 * The vocabulary word closest to `token` within the edits a typo allows (one up to seven letters,
 * two from eight on; a swap of neighbours is one edit), starting with the same letter (people rarely
 * mistype the first one, and "light" must not become "tight"), or undefined. Ties go to the earlier word.
 */
function closestWord(token: string, words: readonly string[], vocabulary: ReadonlySet<string>): string | undefined {
  if (vocabulary.has(token)) return token;
  const allowed = token.length >= 8 ? 2 : 1;
  let closest: string | undefined;
  let closestDistance = allowed + 1;
  for (const word of words) {
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
