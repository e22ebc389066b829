import { expectLength, num } from "./checked.ts";
import { extractFeatures, FEATURE_GROUPS, type FeatureGroup } from "./features.ts";
import type { Token } from "./tokenize.ts";

/** Weight of each feature group in the input vector (tuned on validation splits). */
export const GROUP_WEIGHTS: Record<FeatureGroup, number> = {
  word: 1,
  bigram: 0.7,
  char: 0.6,
  character: 1,
};

/** Feature id → column, and the per-column multiplier (idf × group weight). */
export interface Vocabulary {
  columnById: Map<number, number>;
  columnWeights: Float32Array;
}

/** A sparse vector: parallel arrays of columns and values (L2-normalised). */
export interface SparseVector {
  columns: number[];
  values: number[];
}

/** The input vector of a text's tokens (from `tokenize`). */
export function vectorize(tokens: readonly Token[], vocabulary: Vocabulary): SparseVector {
  const features = extractFeatures(tokens);
  const columns: number[] = [];
  const values: number[] = [];
  let norm = 0;
  expectLength(features.counts, features.ids.length, "feature counts");
  // Reads with `!`: counts checked above; a vocabulary column indexes its columnWeights (checked.ts).
  for (let i = 0; i < features.ids.length; i++) {
    const column = vocabulary.columnById.get(features.ids[i]!);
    if (column === undefined) continue;
    const value = (1 + Math.log(features.counts[i]!)) * vocabulary.columnWeights[column]!;
    columns.push(column);
    values.push(value);
    norm += value * value;
  }
  if (norm > 0) {
    const inverse = 1 / Math.sqrt(norm);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * inverse;
  }
  return { columns, values };
}

/**
 * Builds the vocabulary (features seen in training, sorted by id for determinism) and idf weights
 * from the tokens of each training text.
 */
export function buildVocabulary(documents: ReadonlyArray<readonly Token[]>): { vocabulary: Vocabulary; ids: Uint32Array } {
  const documentFrequency = new Map<number, number>();
  const groupById = new Map<number, number>();
  for (const tokens of documents) {
    const features = extractFeatures(tokens);
    for (let i = 0; i < features.ids.length; i++) {
      const id = num(features.ids, i);
      documentFrequency.set(id, (documentFrequency.get(id) ?? 0) + 1);
      groupById.set(id, num(features.groups, i));
    }
  }
  const ids = Uint32Array.from(documentFrequency.keys()).sort();
  const columnById = new Map<number, number>();
  const columnWeights = new Float32Array(ids.length);
  const documentCount = documents.length;
  ids.forEach((id, column) => {
    columnById.set(id, column);
    const idf = Math.log((1 + documentCount) / (1 + (documentFrequency.get(id) ?? 0))) + 1;
    const group = FEATURE_GROUPS[groupById.get(id) ?? 0] ?? "word";
    columnWeights[column] = idf * GROUP_WEIGHTS[group];
  });
  return { vocabulary: { columnById, columnWeights }, ids };
}
