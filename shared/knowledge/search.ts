/**
 * Ranks a locale's passages for a question: BM25F over three fields, the document's title, the
 * section's headings and the passage's text. A title term counts many times a text term before
 * saturation, with a gentler length normalisation: a help page's headings say what its sections
 * answer ("Returns › Refund times"), and a question names that far more often than it shares the
 * section's wording. Chosen on the tune half of the public sets (docs/knowledge.md, "Ranking"):
 * plain BM25 → BM25F lifted hit@3 from 0.71 to 0.84 on MedQuAD and from 0.83 to 0.89 on StackFAQ;
 * phrase (word pair) boosts and RM3 feedback did not help there.
 *
 * The document title and the section headings are separate fields: the document title is shared
 * by every section of a page, so it tells pages apart, not sections, and a short page's headings
 * are two or three words that a strong weight lets outrank the section that actually answers
 * ("when does the money leave my card" is not about "Gift cards"). The public sets have document
 * titles only (their figures are the same either way); the headings' weight was chosen on
 * questions written for the example bots' pages apart from their test sets
 * (bench/knowledge-dev/, `npm run tune:knowledge`).
 *
 * The confidence of a match is how much of the question the passage covers, weighted by IDF (a
 * rare word the passage lacks costs the most; a word no passage has costs all of its weight), so
 * it is comparable across questions, unlike a BM25 score. A pair of Chinese characters that no
 * passage has is left out of it: most such pairs straddle two words ("账户的月费" gives 户的, 的月),
 * and would otherwise sink every Chinese question's confidence. A passage that covers only the
 * question's numbers is not confident at all.
 */
import type { KnowledgeIndexData, KnowledgePassage } from "../schemas/knowledge.ts";
import { charStandsAlone } from "../languages/index.ts";
import { EXACT_FORM_PREFIX, analyze } from "./analyze.ts";
import { POSTING_STRIDE } from "./build-index.ts";

export interface Ranking {
  k1: number;
  /** Length normalisation of the text (BM25's b). */
  textB: number;
  /** Of the titles: headings differ in length for reasons that say little about relevance. */
  titleB: number;
  /** A term in the document's title counts this many times one in the text. */
  documentTitleWeight: number;
  /** A term in the section's headings counts this many times one in the text. */
  headingWeight: number;
  /** An exact-form term's share of a stem's score: the word itself, on top of its stem. */
  exactFormWeight: number;
}

export const RANKING: Readonly<Ranking> = {
  k1: 1.2,
  textB: 0.75,
  titleB: 0.3,
  documentTitleWeight: 16,
  headingWeight: 4,
  exactFormWeight: 0.3,
};

export interface KnowledgeMatch {
  passage: KnowledgePassage;
  score: number;
  /** 0–1: the IDF-weighted share of the question's terms the passage (title or text) contains. */
  confidence: number;
}

/** A term that is only digits (with a decimal point or comma). */
const NUMBER = /^\d+(?:[.,]\d+)*$/;

export class KnowledgeIndex {
  readonly data: KnowledgeIndexData;
  readonly #termNumbers: Map<string, number>;
  readonly #ranking: Readonly<Ranking>;
  readonly #averageDocumentTitle: number;
  readonly #averageHeadings: number;
  readonly #averageText: number;

  /** `ranking` is for tuning (bench/knowledge-tune.ts); the Worker uses RANKING. */
  constructor(data: KnowledgeIndexData, ranking: Readonly<Ranking> = RANKING) {
    this.data = data;
    this.#ranking = ranking;
    this.#termNumbers = new Map(data.terms.map((term, i) => [term, i]));
    const mean = (values: readonly number[]): number => (values.length === 0 ? 1 : values.reduce((a, b) => a + b, 0) / values.length || 1);
    this.#averageDocumentTitle = mean(data.documentTitleLengths);
    this.#averageHeadings = mean(data.headingLengths);
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
    const queryTerms = [...new Set(analyze(question, this.data.locale, { exactForms: true }))];
    const total = this.data.passages.length;
    if (queryTerms.length === 0 || total === 0) return [];
    const scores = new Float64Array(total);
    const covered = new Float64Array(total);
    // Whether a passage covers any of the question's words besides numbers: a number alone says
    // nothing the pages answer ("y cuánto es 2 más 2" was covered whole by the warranty's "2 años").
    const coversWords = new Uint8Array(total);
    let queryMass = 0;
    const { k1, textB, titleB, documentTitleWeight, headingWeight, exactFormWeight } = this.#ranking;
    for (const term of queryTerms) {
      const number = this.#termNumbers.get(term);
      const postings = number === undefined ? undefined : this.data.postings[number];
      // An exact form adds to the score only: the confidence counts each word once, by its stem.
      const exact = term.startsWith(EXACT_FORM_PREFIX);
      if (!postings && (exact || isCharacterPair(term))) continue;
      const idf = this.#idf(postings ? postings.length / POSTING_STRIDE : 0);
      if (!exact) queryMass += idf;
      if (!postings) continue;
      const weight = exact ? exactFormWeight : 1;
      for (let i = 0; i + POSTING_STRIDE - 1 < postings.length; i += POSTING_STRIDE) {
        const passage = postings[i] ?? 0;
        const inDocumentTitle = postings[i + 1] ?? 0;
        const inHeadings = postings[i + 2] ?? 0;
        const inText = postings[i + 3] ?? 0;
        let frequency = 0;
        if (inDocumentTitle > 0) {
          const norm = 1 - titleB + (titleB * (this.data.documentTitleLengths[passage] ?? 0)) / this.#averageDocumentTitle;
          frequency += (documentTitleWeight * inDocumentTitle) / norm;
        }
        if (inHeadings > 0) {
          const norm = 1 - titleB + (titleB * (this.data.headingLengths[passage] ?? 0)) / this.#averageHeadings;
          frequency += (headingWeight * inHeadings) / norm;
        }
        if (inText > 0) frequency += inText / (1 - textB + (textB * (this.data.textLengths[passage] ?? 0)) / this.#averageText);
        scores[passage] = (scores[passage] ?? 0) + (weight * idf * frequency * (k1 + 1)) / (frequency + k1);
        if (!exact) covered[passage] = (covered[passage] ?? 0) + idf;
        if (!exact && !NUMBER.test(term)) coversWords[passage] = 1;
      }
    }
    const matches: KnowledgeMatch[] = [];
    for (const number of topScores(scores, limit)) {
      const passage = this.data.passages[number];
      if (passage) matches.push({ passage, score: scores[number] ?? 0, confidence: queryMass > 0 && coversWords[number] === 1 ? (covered[number] ?? 0) / queryMass : 0 });
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
