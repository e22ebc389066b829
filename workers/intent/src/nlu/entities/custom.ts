import type { Locale } from "../../../../../shared/schemas/nlu.ts";
import { charStandsAlone } from "../../../../../shared/languages/index.ts";
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
