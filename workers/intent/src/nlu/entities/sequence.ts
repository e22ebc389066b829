import { item } from "../checked.ts";
import type { Token } from "../tokenize.ts";
import { tagsToSpans } from "./bio.ts";
import { canonicalValue, type CustomEntities } from "./custom.ts";
import { type SparseEmissions, sparseEmissionScores, viterbi } from "./tagger.ts";
import { tokenFeatureIds } from "./tagger-features.ts";
import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";

/** A trained tagger ready for decoding. */
export interface RuntimeTagger {
  entityTypes: string[];
  tagCount: number;
  rowById: Map<number, number>;
  emissions: SparseEmissions;
  transitions: Float64Array;
  spanRules: Array<{ requiresLetter: boolean; edgePunctuation: boolean }>;
}

/** Span rules (see train-tagger.ts `spanRule`): a span with a letter; a span with punctuation at an edge. */
export const LETTER = /[\p{L}]/u;
export const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]|[^\p{L}\p{N}]$/u;

/**
 * Per token, "B-x"/"I-x" when a lookup match of entity x covers it (a tagger feature): the first
 * lookup in `lookups` that overlaps the token. `first[i]` is the index of the first lookup over
 * character i, so this costs the lookups' and the tokens' lengths, not tokens × lookups.
 */
export function lookupTagsFor(tokens: readonly Token[], lookups: Array<{ entity: string; start: number; end: number }>): Array<string | undefined> {
  const length = Math.max(tokens.reduce((end, token) => Math.max(end, token.end), 0), lookups.reduce((end, lookup) => Math.max(end, lookup.end), 0));
  const first = new Int32Array(length).fill(-1);
  lookups.forEach((lookup, index) => {
    for (let i = lookup.start; i < lookup.end; i++) if (first[i] === -1) first[i] = index;
  });
  return tokens.map((token) => {
    let best = -1;
    for (let i = token.start; i < token.end; i++) {
      const index = first[i] ?? -1;
      if (index !== -1 && (best === -1 || index < best)) best = index;
    }
    const hit = lookups[best];
    if (!hit) return undefined;
    return `${hit.start >= token.start ? "B" : "I"}-${hit.entity}`;
  });
}

/** Runs the trained tagger over the tokens and turns its BIO tags into entities. */
export function extractTaggedEntities(
  input: ExtractionInput,
  tokens: readonly Token[],
  lookupEntities: Entity[],
  tagger: RuntimeTagger,
  custom: CustomEntities,
): Entity[] {
  const featureIds = tokenFeatureIds(tokens, input.text, lookupTagsFor(tokens, lookupEntities));
  const rows = featureIds.map((ids) => {
    const known: number[] = [];
    for (const id of ids) {
      const row = tagger.rowById.get(id);
      if (row !== undefined) known.push(row);
    }
    return known;
  });
  const tags = viterbi(sparseEmissionScores(rows, tagger.emissions, tagger.tagCount), rows.length, tagger.tagCount, tagger.transitions);
  const entities: Entity[] = [];
  for (const { type, first, last } of tagsToSpans(tags)) {
    const entity = tagger.entityTypes[type] ?? "entity";
    const start = item(tokens, first).start;
    const end = item(tokens, last).end;
    const text = input.text.slice(start, end);
    const rule = tagger.spanRules[type];
    if (rule && ((rule.requiresLetter && !LETTER.test(text)) || (!rule.edgePunctuation && EDGE_PUNCTUATION.test(text)))) continue;
    entities.push(makeEntity(input, entity, canonicalValue(custom, entity, text), start, end, "tagger"));
  }
  return entities;
}
