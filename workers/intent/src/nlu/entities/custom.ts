import type { Locale } from "../../../../../shared/schemas/nlu.ts";
import { charStandsAlone } from "../../../../../shared/languages/index.ts";
import { closestWord, isRepairableWord } from "../../../../../shared/typos.ts";
import { normalizePhrase } from "../text.ts";
import { type Entity, type ExtractionInput, makeEntity, MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";

/** A bot's own entities at run time: compiled regexes, lookup phrases and synonym maps. */
export interface CustomEntities {
  regexes: Array<{ entity: string; pattern: RegExp }>;
  /** Normalised phrase → entity and canonical value, per locale ("any" = every locale). */
  lookups: Array<{ entity: string; phrase: string; value: string; locale: Locale | "any" }>;
  /** entity → normalised variant → canonical value. */
  synonyms: Map<string, Map<string, string>>;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

export function canonicalValue(custom: CustomEntities, entity: string, text: string): string {
  return custom.synonyms.get(entity)?.get(normalizePhrase(text)) ?? text;
}

export function extractRegexEntities(input: ExtractionInput, custom: CustomEntities): Entity[] {
  const found: Entity[] = [];
  for (const { entity, pattern } of custom.regexes) {
    for (const match of input.text.matchAll(pattern)) {
      if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
      if (match[0].length === 0) continue;
      const value = canonicalValue(custom, entity, match[0]);
      found.push(makeEntity(input, entity, value, match.index, match.index + match[0].length, "regex"));
    }
  }
  return found;
}

/** Lookup phrases matched on whole words, or anywhere at an edge in a script written without spaces (Chinese). */
export function extractLookupEntities(input: ExtractionInput, custom: CustomEntities): Entity[] {
  const found: Entity[] = [];
  const text = input.normalized;
  for (const lookup of custom.lookups) {
    if (lookup.locale !== "any" && lookup.locale !== input.locale) continue;
    let from = 0;
    for (;;) {
      const start = text.indexOf(lookup.phrase, from);
      if (start < 0) break;
      const end = start + lookup.phrase.length;
      from = start + 1;
      if (!isBoundary(text, start - 1, lookup.phrase[0] ?? "") || !isBoundary(text, end, lookup.phrase[lookup.phrase.length - 1] ?? "")) continue;
      if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
      found.push(makeEntity(input, lookup.entity, lookup.value, start, end, "lookup"));
    }
  }
  return found;
}

/** True when the character at `index` does not glue onto the letter/digit edge character of a phrase. */
function isBoundary(text: string, index: number, edge: string): boolean {
  if (index < 0 || index >= text.length) return true;
  if (charStandsAlone(edge)) return true;
  const char = text[index] ?? "";
  return !WORD_CHAR.test(char) || charStandsAlone(char);
}

/** Lookup names this long or longer are matched with typos. */
const FUZZY_MIN_LETTERS = 6;

/** Lookup phrases of one word that typos are repaired to, sorted, per model (built on first use). */
const fuzzyPhrases = new WeakMap<CustomEntities, { words: string[]; byWord: Map<string, CustomEntities["lookups"]> }>();

/**
 * Mistyped lookup names ("nvidai", "microsfot", "tencnet"): a word of the message that no lookup
 * entity covers is read as the closest one-word lookup phrase within a typo's edits (shared/typos.ts:
 * same first letter), among names of FUZZY_MIN_LETTERS or more — a shorter name is too often one edit
 * from an everyday word ("apply" is not Apple). Found entities are marked with confidence 0.8, below
 * an exact name's; the tagger does not see them (its lookup features are the exact names).
 */
export function extractFuzzyLookupEntities(input: ExtractionInput, custom: CustomEntities, exact: readonly Entity[]): Entity[] {
  let fuzzy = fuzzyPhrases.get(custom);
  if (!fuzzy) {
    const byWord = new Map<string, CustomEntities["lookups"]>();
    for (const lookup of custom.lookups) {
      if (lookup.phrase.length >= FUZZY_MIN_LETTERS && isRepairableWord(lookup.phrase)) byWord.set(lookup.phrase, [...(byWord.get(lookup.phrase) ?? []), lookup]);
    }
    fuzzy = { words: [...byWord.keys()].sort(), byWord };
    fuzzyPhrases.set(custom, fuzzy);
  }
  if (fuzzy.words.length === 0) return [];
  const found: Entity[] = [];
  for (const match of input.normalized.matchAll(/[a-z\u00c0-\u024f]{6,}/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (exact.some((entity) => entity.start < end && start < entity.end)) continue;
    const word = closestWord(match[0], fuzzy.words);
    for (const lookup of word === undefined ? [] : (fuzzy.byWord.get(word) ?? [])) {
      if (lookup.locale !== "any" && lookup.locale !== input.locale) continue;
      if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
      found.push({ ...makeEntity(input, lookup.entity, lookup.value, start, end, "lookup"), confidence: 0.8 });
      break;
    }
  }
  return found;
}
