import type { ModelArtifact } from "./artifact.ts";
import { u32 } from "./checked.ts";
import { int8ToBase64, quantizeColumns, uint32ToBase64 } from "./codec.ts";
import { tagNames } from "./entities/bio.ts";
import { type CustomEntities, extractLookupEntities } from "./entities/custom.ts";
import { EDGE_PUNCTUATION, LETTER, lookupTagsFor } from "./entities/sequence.ts";
import { trainTagger } from "./entities/tagger.ts";
import { tokenFeatureIds } from "./entities/tagger-features.ts";
import { normalizeKeepingOffsets } from "./text.ts";
import { tokenizeNormalized } from "./tokenize.ts";
import type { CustomEntityArtifact } from "./train-entities.ts";
import type { Example } from "./examples.ts";

/** Trains the BIO sequence tagger on the annotated spans of the examples. */
export function trainSequenceTagger(
  examples: Example[],
  customArtifact: CustomEntityArtifact,
  options: { epochs: number; seed: number; onEpoch?: (epoch: number) => void },
): NonNullable<ModelArtifact["tagger"]> {
  const entityTypes = [...new Set(examples.flatMap((e) => e.spans.map((s) => s.entity)))].sort();
  const tags = tagNames(entityTypes).length;
  const custom: CustomEntities = { regexes: [], lookups: customArtifact.lookups, synonyms: new Map() };

  const rowById = new Map<number, number>();
  const sentences: number[][][] = [];
  const gold: Uint16Array[] = [];
  for (const example of examples) {
    const normalized = normalizeKeepingOffsets(example.text);
    const tokens = tokenizeNormalized(normalized);
    const input = { text: example.text, normalized, folded: normalized, locale: example.locale, nowMs: 0, timezone: "UTC" };
    const features = tokenFeatureIds(tokens, example.text, lookupTagsFor(tokens, extractLookupEntities(input, custom)));
    sentences.push(
      features.map((ids) =>
        ids.map((id) => {
          let row = rowById.get(id);
          if (row === undefined) {
            row = rowById.size;
            rowById.set(id, row);
          }
          return row;
        }),
      ),
    );
    const labels = new Uint16Array(tokens.length);
    for (const span of example.spans) {
      const type = entityTypes.indexOf(span.entity);
      let first = true;
      tokens.forEach((token, i) => {
        if (token.start < span.end && span.start < token.end) {
          labels[i] = 1 + 2 * type + (first ? 0 : 1);
          first = false;
        }
      });
    }
    gold.push(labels);
  }

  const { emissions, transitions } = trainTagger(sentences, gold, rowById.size, tags, options);
  const quantized = quantizeColumns(emissions, rowById.size, tags);
  const idOfRow = new Uint32Array(rowById.size);
  for (const [id, row] of rowById) idOfRow[row] = id;
  // Artifact rows are sorted by feature id so the artifact does not depend on insertion order details.
  const kept = quantized.keptRows.map((row, keptIndex) => ({ id: u32(idOfRow, row), keptIndex })).sort((a, b) => a.id - b.id);
  const codes = new Int8Array(kept.length * tags);
  kept.forEach(({ keptIndex }, newRow) => codes.set(quantized.codes.subarray(keptIndex * tags, (keptIndex + 1) * tags), newRow * tags));
  return {
    entityTypes,
    spanRules: entityTypes.map((type) => spanRule(examples, type)),
    featureIds: uint32ToBase64(Uint32Array.from(kept, (k) => k.id)),
    weights: int8ToBase64(codes),
    scales: quantized.scales,
    transitions: Array.from(transitions, (t) => Math.round(t * 1000) / 1000),
  };
}

/**
 * With a handful of annotations the tagger can mark "$20" or "(555" as a product; spans that look like
 * none of the training spans of their type (no letter where all had one, punctuation at an edge where
 * none had it) are not reported.
 */
function spanRule(examples: Example[], type: string): { requiresLetter: boolean; edgePunctuation: boolean } {
  let requiresLetter = true;
  let edgePunctuation = false;
  for (const example of examples) {
    for (const span of example.spans) {
      if (span.entity !== type) continue;
      const text = example.text.slice(span.start, span.end);
      if (!LETTER.test(text)) requiresLetter = false;
      if (EDGE_PUNCTUATION.test(text)) edgePunctuation = true;
    }
  }
  return { requiresLetter, edgePunctuation };
}
