import { charStandsAlone, type Locale } from "../../../../../shared/languages/index.ts";
import { closestWord, isRepairableWord, MIN_SWAP_REPAIRABLE_LETTERS } from "../../../../../shared/typos.ts";
import { tokenizeWithSurfaces, type SurfacedToken } from "./tokenize.ts";

/** One retrievable text (a question variant or an answer) of an FAQ entry, with what scoring needs. */
interface FaqDocument {
  entryId: string;
  /** A question (short, all of it meaningful) rather than an answer. */
  isQuestion: boolean;
  /** How often each token occurs in the document. */
  counts: Map<string, number>;
  /** BM25's length normalisation for this document: K1 · (1 − B + B · length / average length). */
  norm: number;
  /** The IDF summed over the document's distinct tokens (the whole of what a query could cover). */
  idfMass: number;
}

export interface FaqIndex {
  /** The language its texts (and the queries searched in it) are tokenised as. */
  locale: Locale;
  documents: FaqDocument[];
  /** Documents containing each token. */
  documentFrequency: Map<string, number>;
  averageLength: number;
  /** The index's words typos are repaired to (typos.ts), sorted. */
  vocabulary: readonly string[];
  /** The words the index's tokens were made from (before stemming), sorted, each with its token: typos are repaired on what was typed first. */
  surfaces: readonly string[];
  tokenOfSurface: ReadonlyMap<string, string>;
}

/** FAQ questions are short and every word counts: a swap of neighbours is repaired from four letters on ("crad" → card). */
const REPAIR = { minLetters: MIN_SWAP_REPAIRABLE_LETTERS };

export interface FaqMatch {
  entryId: string;
  /** The best document's BM25 score plus OTHER_DOCUMENTS_WEIGHT of the entry's other documents'. */
  score: number;
  /** The best document's BM25 score alone. */
  documentScore: number;
  /** How well the best document and the query cover each other (see searchFaq): 0–1. */
  confidence: number;
  /** The IDF of the query's tokens this entry's best-covering document contains (part of `mass`). */
  covered: number;
  /** The IDF of all the query's tokens that count (the whole a document could cover). */
  mass: number;
}

/**
 * How entries rank: the best document's BM25 score weighted by its confidence (coverage, below) to
 * the power CONFIDENCE_EXPONENT. BM25 alone lets an aspect word rarer than the topic outrank the
 * topic ("what causes migraines?" went to "What causes headaches?", whose "causes" is rarer than
 * "migraine"); the coverage of the migraine entry's questions says which one the message is about.
 * Chosen leave-one-out on the bots' own FAQ questions (`node bench/faq-loo.ts`): 190 of 280 ranked
 * first at 0.75 and at 1, 186 at 0.5, 178 by the score alone; 0.75 rather than 1 because at 1 the
 * coverage of a short stored question outweighed a far higher score ("信用卡每年都要交钱吗", a
 * development dialogue, went to the credit-versus-debit entry instead of the card's fee).
 */
export function faqRelevance(match: { score: number; confidence: number }): number {
  return match.score * match.confidence ** CONFIDENCE_EXPONENT;
}

const CONFIDENCE_EXPONENT = 0.75;

const K1 = 1.2;
const B = 0.75;
/** A message that contains a whole FAQ question, plus its own details, is nearly as good a match. */
const QUESTION_COVERAGE_WEIGHT = 0.9;

export function buildFaqIndex(texts: Array<{ entryId: string; text: string; isQuestion: boolean }>, locale: Locale): FaqIndex {
  const tokenOfSurface = new Map<string, string>();
  const tokenized = texts.map(({ entryId, text, isQuestion }) => {
    const surfaced = tokenizeWithSurfaces(text, locale);
    for (const { token, surface } of surfaced) if (surface !== undefined && isRepairableWord(surface, REPAIR.minLetters)) tokenOfSurface.set(surface, token);
    return { entryId, tokens: surfaced.map(({ token }) => token), isQuestion };
  });
  const documentFrequency = new Map<string, number>();
  for (const { tokens } of tokenized) {
    for (const token of new Set(tokens)) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  }
  const totalLength = tokenized.reduce((sum, document) => sum + document.tokens.length, 0);
  const averageLength = tokenized.length > 0 ? totalLength / tokenized.length : 1;
  const documents = tokenized.map(({ entryId, tokens, isQuestion }): FaqDocument => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    let idfMass = 0;
    for (const token of counts.keys()) idfMass += idf(documentFrequency, tokenized.length, token);
    const norm = K1 * (1 - B + (B * tokens.length) / averageLength);
    return { entryId, isQuestion, counts, norm, idfMass };
  });
  const vocabulary = [...documentFrequency.keys()].filter((token) => isRepairableWord(token, REPAIR.minLetters)).sort();
  return { locale, documents, documentFrequency, averageLength, vocabulary, surfaces: [...tokenOfSurface.keys()].sort(), tokenOfSurface };
}

function idf(documentFrequency: Map<string, number>, total: number, token: string): number {
  const n = documentFrequency.get(token) ?? 0;
  return Math.log(1 + (total - n + 0.5) / (n + 0.5));
}

/**
 * Entries ranked by `faqRelevance`: their best document's BM25 score, weighted by a confidence.
 * BM25 scores are not comparable across
 * queries, so the confidence is the better of two coverages, weighted by IDF: how much of the
 * query the document contains (unknown words weigh the most: "annual weather" → low), and how
 * much of a question document the query contains ("I get chest pain on stairs, is that a sign of
 * a heart attack?" contains all of "signs of a heart attack?"). Without a limit, every match.
 *
 * Before that, a word the index does not know is read as the closest one it does, within a typo's
 * edits ("overdarft" → overdraft, typos.ts); and a pair of Chinese characters no document has is
 * left out of the query's weight, as in document retrieval (shared/knowledge/search.ts): most such
 * pairs straddle two words ("老是失眠该怎么办" gives 是失, 眠该) and would sink every Chinese paraphrase.
 */
export function searchFaq(index: FaqIndex, query: string, limit = Infinity): FaqMatch[] {
  return searchTokens(index, tokenizeWithSurfaces(query, index.locale), limit);
}

/** searchFaq for a query already tokenised (as `tokenizeWithSurfaces` does, in the index's locale). */
function searchTokens(index: FaqIndex, tokens: readonly SurfacedToken[], limit = Infinity): FaqMatch[] {
  const queryTokens = [...new Set(tokens.map((token) => repairTypo(index, token)))].filter(
    (token) => index.documentFrequency.has(token) || !isCharacterPair(token),
  );
  if (queryTokens.length === 0 || index.documents.length === 0) return [];
  const weights = new Map(queryTokens.map((token) => [token, idf(index.documentFrequency, index.documents.length, token)]));
  const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  const best = new Map<string, FaqMatch>();
  // Each entry's documents' scores summed: what its other documents add to its best one's.
  const summed = new Map<string, number>();
  for (const document of index.documents) {
    let score = 0;
    // The IDF of the tokens query and document share: of the query's mass and of the document's.
    let covered = 0;
    for (const [token, weight] of weights) {
      const frequency = document.counts.get(token) ?? 0;
      if (frequency === 0) continue;
      covered += weight;
      score += (weight * frequency * (K1 + 1)) / (frequency + document.norm);
    }
    if (score <= 0) continue;
    summed.set(document.entryId, (summed.get(document.entryId) ?? 0) + score);
    const queryCoverage = totalWeight > 0 ? covered / totalWeight : 0;
    const questionCoverage = document.isQuestion && document.idfMass > 0 ? covered / document.idfMass : 0;
    const confidence = Math.max(queryCoverage, QUESTION_COVERAGE_WEIGHT * questionCoverage);
    const previous = best.get(document.entryId);
    if (!previous || score > previous.score) {
      best.set(document.entryId, {
        entryId: document.entryId,
        score,
        documentScore: score,
        confidence: Math.max(confidence, previous?.confidence ?? 0),
        covered: Math.max(covered, previous?.covered ?? 0),
        mass: totalWeight,
      });
    } else {
      previous.confidence = Math.max(previous.confidence, confidence);
      previous.covered = Math.max(previous.covered, covered);
    }
  }
  for (const match of best.values()) match.score += OTHER_DOCUMENTS_WEIGHT * ((summed.get(match.entryId) ?? match.documentScore) - match.documentScore);
  return [...best.values()].sort((a, b) => faqRelevance(b) - faqRelevance(a)).slice(0, limit);
}

/**
 * An entry's score is its best document's plus this share of its other documents' (its other
 * questions, its answer): an entry whose several questions and answer all share the message's words
 * is the likelier one than an entry with one question that happens to share a rare word. Chosen leave-one-out
 * on the bots' own FAQ questions (`node bench/faq-loo.ts`): 190 of 280 ranked first with the best
 * document alone, 195 at 0.1, 196 at 0.2 and 0.3, 197 at 0.5 (but fewer confident enough to be said).
 */
const OTHER_DOCUMENTS_WEIGHT = 0.2;

/**
 * The token, or if the index does not know it, the token of the index's word closest to what was
 * typed, else the index's token closest to its stem (typos.ts; from four letters, by a swap of
 * neighbours, on: "crad" → card).
 */
function repairTypo(index: FaqIndex, { token, surface }: SurfacedToken): string {
  if (index.documentFrequency.has(token)) return token;
  const typed = surface === undefined ? undefined : closestWord(surface, index.surfaces, REPAIR);
  const repaired = typed === undefined ? undefined : index.tokenOfSurface.get(typed);
  return repaired ?? closestWord(token, index.vocabulary, REPAIR) ?? token;
}

/** Two characters of a script written without spaces: a pair token of tokenize(). */
function isCharacterPair(token: string): boolean {
  const chars = [...token];
  return chars.length === 2 && chars.every((char) => charStandsAlone(char));
}
