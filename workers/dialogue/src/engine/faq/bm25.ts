import { tokenize } from "./tokenize.ts";

/** One retrievable text (a question variant or an answer) of an FAQ entry. */
export interface FaqDocument {
  entryId: string;
  tokens: string[];
  /** A question (short, all of it meaningful) rather than an answer. */
  isQuestion: boolean;
}

export interface FaqIndex {
  documents: FaqDocument[];
  /** Documents containing each token. */
  documentFrequency: Map<string, number>;
  averageLength: number;
}

export interface FaqMatch {
  entryId: string;
  score: number;
  /** How well the best document and the query cover each other (see searchFaq): 0–1. */
  confidence: number;
}

const K1 = 1.2;
const B = 0.75;
/** A message that contains a whole FAQ question, plus its own details, is nearly as good a match. */
const QUESTION_COVERAGE_WEIGHT = 0.9;

export function buildFaqIndex(texts: Array<{ entryId: string; text: string; isQuestion: boolean }>): FaqIndex {
  const documents = texts.map(({ entryId, text, isQuestion }) => ({ entryId, tokens: tokenize(text), isQuestion }));
  const documentFrequency = new Map<string, number>();
  for (const document of documents) {
    for (const token of new Set(document.tokens)) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  }
  const totalLength = documents.reduce((sum, document) => sum + document.tokens.length, 0);
  return { documents, documentFrequency, averageLength: documents.length > 0 ? totalLength / documents.length : 1 };
}

function idf(index: FaqIndex, token: string): number {
  const n = index.documentFrequency.get(token) ?? 0;
  const total = index.documents.length;
  return Math.log(1 + (total - n + 0.5) / (n + 0.5));
}

/**
 * Entries ranked by their best document's BM25 score. BM25 scores are not comparable across
 * queries, so the confidence is the better of two coverages, weighted by IDF: how much of the
 * query the document contains (unknown words weigh the most: "annual weather" → low), and how
 * much of a question document the query contains ("I get chest pain on stairs, is that a sign of
 * a heart attack?" contains all of "signs of a heart attack?").
 */
export function searchFaq(index: FaqIndex, query: string, limit: number): FaqMatch[] {
  const queryTokens = [...new Set(tokenize(query))];
  if (queryTokens.length === 0 || index.documents.length === 0) return [];
  const weights = new Map(queryTokens.map((token) => [token, idf(index, token)]));
  const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  const best = new Map<string, FaqMatch>();
  for (const document of index.documents) {
    const counts = new Map<string, number>();
    for (const token of document.tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    let score = 0;
    let covered = 0;
    for (const [token, weight] of weights) {
      const frequency = counts.get(token) ?? 0;
      if (frequency === 0) continue;
      covered += weight;
      const norm = K1 * (1 - B + (B * document.tokens.length) / index.averageLength);
      score += (weight * frequency * (K1 + 1)) / (frequency + norm);
    }
    if (score <= 0) continue;
    const queryCoverage = totalWeight > 0 ? covered / totalWeight : 0;
    const confidence = Math.max(queryCoverage, document.isQuestion ? QUESTION_COVERAGE_WEIGHT * questionCoverage(index, document, weights) : 0);
    const previous = best.get(document.entryId);
    if (!previous || score > previous.score) {
      best.set(document.entryId, { entryId: document.entryId, score, confidence: Math.max(confidence, previous?.confidence ?? 0) });
    } else {
      previous.confidence = Math.max(previous.confidence, confidence);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}

/** Share of a question document's IDF mass that the query contains. */
function questionCoverage(index: FaqIndex, document: FaqDocument, queryWeights: Map<string, number>): number {
  let total = 0;
  let covered = 0;
  for (const token of new Set(document.tokens)) {
    const weight = idf(index, token);
    total += weight;
    if (queryWeights.has(token)) covered += weight;
  }
  return total > 0 ? covered / total : 0;
}
