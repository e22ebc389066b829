/** The README's retrieval figures: hit@3, recall@3 and MRR@10, averaged over the questions. */

export interface RetrievalScores {
  /** A relevant passage is among the first 3. */
  hit_at_3: number;
  /** The share of the relevant passages among the first 3 (below 1 when a question has more than 3). */
  recall_at_3: number;
  /** 1 / rank of the first relevant passage within the first 10, else 0. */
  mrr: number;
}

/** One question's figures from its ranking (passage ids, best first) and its relevant ids. */
export function scoreRanking(ranking: readonly string[], relevant: readonly string[]): RetrievalScores {
  const wanted = new Set(relevant);
  const top3 = ranking.slice(0, 3);
  const found = top3.filter((id) => wanted.has(id)).length;
  const rank = ranking.slice(0, 10).findIndex((id) => wanted.has(id));
  return { hit_at_3: found > 0 ? 1 : 0, recall_at_3: found / wanted.size, mrr: rank === -1 ? 0 : 1 / (rank + 1) };
}

/** The mean of each figure, rounded to 3 decimals (0 for no questions). */
export function meanScores(scores: readonly RetrievalScores[]): RetrievalScores {
  const mean = (key: keyof RetrievalScores): number =>
    scores.length === 0 ? 0 : Math.round((scores.reduce((sum, s) => sum + s[key], 0) / scores.length) * 1000) / 1000;
  return { hit_at_3: mean("hit_at_3"), recall_at_3: mean("recall_at_3"), mrr: mean("mrr") };
}
