import { hashString } from "./hash.ts";
import { expandContraction, stem } from "./stem.ts";
import { tokenize } from "./tokenize.ts";

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
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export function extractFeatures(text: string): FeatureCounts {
  const byId = new Map<number, { count: number; group: number }>();
  const add = (feature: string, group: number): void => {
    const id = hashString(feature);
    const entry = byId.get(id);
    if (entry) entry.count++;
    else byId.set(id, { count: 1, group });
  };

  const words: string[] = [];
  let hanRun = "";
  const flushHan = (): void => {
    if (hanRun === "") return;
    addHanGrams(hanRun, add);
    words.push(hanRun.length === 1 ? hanRun : "<han>");
    hanRun = "";
  };
  for (const token of tokenize(text)) {
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
      add(`w:${stemmed}`, 0);
      addCharGrams(word, add);
    }
  }
  flushHan();
  for (let i = -1; i < words.length; i++) {
    add(`b:${words[i] ?? "<s>"} ${words[i + 1] ?? "</s>"}`, 1);
  }

  const ids: number[] = [];
  const counts: number[] = [];
  const groups: number[] = [];
  for (const [id, entry] of byId) {
    ids.push(id);
    counts.push(entry.count);
    groups.push(entry.group);
  }
  return { ids, counts, groups };
}

function addCharGrams(word: string, add: (feature: string, group: number) => void): void {
  const padded = ` ${word} `;
  for (let n = 2; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 2);
  }
}

function addHanGrams(run: string, add: (feature: string, group: number) => void): void {
  const padded = `^${run}$`;
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= padded.length; i++) {
      const gram = padded.slice(i, i + n);
      if (gram !== "^" && gram !== "$") add(`h:${gram}`, 3);
    }
  }
}
