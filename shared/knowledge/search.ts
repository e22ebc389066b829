/**
 * Ranks a locale's passages for a question: BM25F over two fields, the passage's title (the
 * document title and its section headings) and its text. A title term counts TITLE_WEIGHT times a
 * text term before saturation, with a gentler length normalisation: a help page's headings say
 * what its sections answer ("Returns › Refund times"), and a question names that far more often
 * than it shares the section's wording. Chosen on the tune half of the public sets
 * (docs/knowledge.md, "Ranking"): plain BM25 → BM25F lifted hit@3 from 0.71 to 0.84 on MedQuAD and
 * from 0.83 to 0.89 on StackFAQ; phrase (word pair) boosts and RM3 feedback did not help there.
 *
 * The confidence of a match is how much of the question the passage covers, weighted by IDF (a
 * rare word the passage lacks costs the most; a word no passage has costs all of its weight), so
 * it is comparable across questions, unlike a BM25 score. A pair of Chinese characters that no
 * passage has is left out of it: most such pairs straddle two words ("账户的月费" gives 户的, 的月),
 * and would otherwise sink every Chinese question's confidence.
 */
import type { KnowledgeIndexData, KnowledgePassage } from "../schemas/knowledge.ts";
import { charStandsAlone } from "../languages/index.ts";
import { analyze } from "./analyze.ts";

export const RANKING = {
  k1: 1.2,
  /** Length normalisation of the text (BM25's b). */
  textB: 0.75,
  /** Of the title: headings differ in length for reasons that say little about relevance. */
  titleB: 0.3,
  titleWeight: 16,
} as const;

export interface KnowledgeMatch {
  passage: KnowledgePassage;
  score: number;
  /** 0–1: the IDF-weighted share of the question's terms the passage (title or text) contains. */
  confidence: number;
}

export class KnowledgeIndex {
  readonly data: KnowledgeIndexData;
  readonly #termNumbers: Map<string, number>;
  readonly #averageTitle: number;
  readonly #averageText: number;

  constructor(data: KnowledgeIndexData) {
    this.data = data;
    this.#termNumbers = new Map(data.terms.map((term, i) => [term, i]));
    const mean = (values: readonly number[]): number => (values.length === 0 ? 1 : values.reduce((a, b) => a + b, 0) / values.length || 1);
    this.#averageTitle = mean(data.titleLengths);
    this.#averageText = mean(data.textLengths);
  }

  get size(): number {
    return this.data.passages.length;
  }

  #idf(documentFrequency: number): number {
    const total = this.data.passages.length;
    return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** The best passages for a question, best first (at most `limit`); none for a question without terms. */
  search(question: string, limit = 10): KnowledgeMatch[] {
    const queryTerms = [...new Set(analyze(question, this.data.locale))];
    const total = this.data.passages.length;
    if (queryTerms.length === 0 || total === 0) return [];
    const scores = new Float64Array(total);
    const covered = new Float64Array(total);
    let queryMass = 0;
    const { k1, textB, titleB, titleWeight } = RANKING;
    for (const term of queryTerms) {
      const number = this.#termNumbers.get(term);
      const postings = number === undefined ? undefined : this.data.postings[number];
      if (!postings && isCharacterPair(term)) continue;
      const idf = this.#idf(postings ? postings.length / 3 : 0);
      queryMass += idf;
      if (!postings) continue;
      for (let i = 0; i + 2 < postings.length; i += 3) {
        const passage = postings[i] ?? 0;
        const inTitle = postings[i + 1] ?? 0;
        const inText = postings[i + 2] ?? 0;
        const titleNorm = 1 - titleB + (titleB * (this.data.titleLengths[passage] ?? 0)) / this.#averageTitle;
        const textNorm = 1 - textB + (textB * (this.data.textLengths[passage] ?? 0)) / this.#averageText;
        const frequency = (titleWeight * inTitle) / titleNorm + inText / textNorm;
        scores[passage] = (scores[passage] ?? 0) + (idf * frequency * (k1 + 1)) / (frequency + k1);
        covered[passage] = (covered[passage] ?? 0) + idf;
      }
    }
    const matches: KnowledgeMatch[] = [];
    for (const number of topScores(scores, limit)) {
      const passage = this.data.passages[number];
      if (passage) matches.push({ passage, score: scores[number] ?? 0, confidence: queryMass > 0 ? (covered[number] ?? 0) / queryMass : 0 });
    }
    return matches;
  }
}

/** Indices of the `limit` highest positive scores, best first (ties: the earlier passage first). */
function topScores(scores: Float64Array, limit: number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] ?? 0;
    if (score <= 0) continue;
    if (picked.length >= limit && score <= (scores[picked[picked.length - 1] ?? 0] ?? 0)) continue;
    let at = picked.length;
    while (at > 0 && (scores[picked[at - 1] ?? 0] ?? 0) < score) at--;
    picked.splice(at, 0, i);
    if (picked.length > limit) picked.pop();
  }
  return picked;
}

/** Two characters of a script written without spaces: a bigram term of analyze(). */
function isCharacterPair(term: string): boolean {
  const chars = [...term];
  return chars.length === 2 && chars.every((char) => charStandsAlone(char));
}
