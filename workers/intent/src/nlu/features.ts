import { hashStep, hashString } from "../../../../shared/hash.ts";
import { expandContraction, stem } from "./stem.ts";
import type { Token } from "./tokenize.ts";

/**
 * Intent features of a text as hashed ids with raw counts. Groups (prefixes keep them apart):
 *  w: word unigrams (contractions expanded, stemmed, digits folded), b: word bigrams,
 *  c: character 2–5-grams inside " word " (typo robustness), h: 1–3-grams of runs of characters that stand
 *  alone (Han; see tokenize.ts; the prefixes are part of the hashes, so they keep their historical names).
 */
export interface FeatureCounts {
  ids: number[];
  counts: number[];
  /** Which group each feature belongs to (index into FEATURE_GROUPS), for group weighting. */
  groups: number[];
}

export const FEATURE_GROUPS = ["word", "bigram", "char", "character"] as const;

/** n-gram ranges (fixed: a model is only valid with the settings it was trained with). */
export const NGRAMS = { charMin: 2, charMax: 5, characterMin: 1, characterMax: 3 };
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

const WORD_PREFIX = hashString("w:");
const BIGRAM_PREFIX = hashString("b:");
const CHAR_PREFIX = hashString("c:");
const CHARACTER_PREFIX = hashString("h:");
const SPACE = 32;
const RUN_START = 94; // "^"
const RUN_END = 36; // "$"

/**
 * Features of a text's tokens (from `tokenize`; parse and training tokenise once and pass them on).
 * Counts are kept in one Map<id, count × 4 + group> and character n-grams are hashed incrementally
 * without building substrings: parse runs per message and allocation churn shows in tail latency.
 */
export function extractFeatures(tokens: readonly Token[]): FeatureCounts {
  const byId = new Map<number, number>();
  const addId = (id: number, group: number): void => {
    const entry = byId.get(id);
    byId.set(id, entry === undefined ? 4 + group : entry + 4);
  };

  const words: string[] = [];
  let characterRun = "";
  const flushCharacters = (): void => {
    if (characterRun === "") return;
    addGrams(characterRun, RUN_START, RUN_END, NGRAMS.characterMin, NGRAMS.characterMax, CHARACTER_PREFIX, 3, addId, true);
    // A longer run is one placeholder word for the bigrams (the name is part of their hashes).
    words.push(characterRun.length === 1 ? characterRun : "<han>");
    characterRun = "";
  };
  for (const token of tokens) {
    if (token.kind === "character") {
      characterRun += token.text;
      continue;
    }
    flushCharacters();
    if (token.kind === "punct") continue;
    const folded = token.kind === "number" ? token.text.replace(/\d/g, "0") : token.text;
    for (const word of expandContraction(folded)) {
      const stemmed = stem(word);
      words.push(stemmed);
      addId(hashString(stemmed, WORD_PREFIX), 0);
      addGrams(word, SPACE, SPACE, NGRAMS.charMin, NGRAMS.charMax, CHAR_PREFIX, 2, addId, false);
    }
  }
  flushCharacters();
  for (let i = -1; i < words.length; i++) {
    addId(hashString(`${words[i] ?? "<s>"} ${words[i + 1] ?? "</s>"}`, BIGRAM_PREFIX), 1);
  }

  const ids: number[] = [];
  const counts: number[] = [];
  const groups: number[] = [];
  for (const [id, entry] of byId) {
    ids.push(id);
    counts.push(entry >> 2);
    groups.push(entry & 3);
  }
  return { ids, counts, groups };
}

/**
 * n-grams (minN..maxN) of `before + run + after`, hashed as if the string `prefix + gram` was hashed.
 * With `skipLoneMarkers`, the 1-grams made of a boundary marker alone are left out.
 */
function addGrams(
  run: string,
  before: number,
  after: number,
  minN: number,
  maxN: number,
  prefix: number,
  group: number,
  addId: (id: number, group: number) => void,
  skipLoneMarkers: boolean,
): void {
  const length = run.length + 2;
  const codeAt = (i: number): number => (i === 0 ? before : i === length - 1 ? after : run.charCodeAt(i - 1));
  for (let start = 0; start < length; start++) {
    let hash = prefix;
    for (let n = 1; n <= maxN && start + n <= length; n++) {
      hash = hashStep(hash, codeAt(start + n - 1));
      if (n < minN) continue;
      if (skipLoneMarkers && n === 1 && (start === 0 || start === length - 1)) continue;
      addId(hash >>> 0, group);
    }
  }
}
