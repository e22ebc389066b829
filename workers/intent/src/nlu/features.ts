import { hashStep, hashString } from "./hash.ts";
import { expandContraction, stem } from "./stem.ts";
import type { Token } from "./tokenize.ts";

/**
 * Intent features of a text as hashed ids with raw counts. Groups (prefixes keep them apart):
 *  w: word unigrams (contractions expanded, stemmed, digits folded), b: word bigrams,
 *  c: character 2–5-grams inside " word " (typo robustness), h: Han character 1–3-grams.
 */
export interface FeatureCounts {
  ids: number[];
  counts: number[];
  /** Which group each feature belongs to (index into FEATURE_GROUPS), for group weighting. */
  groups: number[];
}

export const FEATURE_GROUPS = ["word", "bigram", "char", "han"] as const;

/** n-gram ranges (fixed: a model is only valid with the settings it was trained with). */
export const NGRAMS = { charMin: 2, charMax: 5, hanMin: 1, hanMax: 3 };
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

const WORD_PREFIX = hashString("w:");
const BIGRAM_PREFIX = hashString("b:");
const CHAR_PREFIX = hashString("c:");
const HAN_PREFIX = hashString("h:");
const SPACE = 32;
const HAN_START = 94; // "^"
const HAN_END = 36; // "$"

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
  let hanRun = "";
  const flushHan = (): void => {
    if (hanRun === "") return;
    addGrams(hanRun, HAN_START, HAN_END, NGRAMS.hanMin, NGRAMS.hanMax, HAN_PREFIX, 3, addId, true);
    words.push(hanRun.length === 1 ? hanRun : "<han>");
    hanRun = "";
  };
  for (const token of tokens) {
    if (token.kind === "han") {
      hanRun += token.text;
      continue;
    }
    flushHan();
    if (token.kind === "punct") continue;
    const folded = token.kind === "number" ? token.text.replace(/\d/g, "0") : token.text;
    for (const word of expandContraction(folded)) {
      const stemmed = stem(word);
      words.push(stemmed);
      addId(hashString(stemmed, WORD_PREFIX), 0);
      addGrams(word, SPACE, SPACE, NGRAMS.charMin, NGRAMS.charMax, CHAR_PREFIX, 2, addId, false);
    }
  }
  flushHan();
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
