/**
 * Ranking measures and the two reference baselines of the recommendation benchmark, with the exact
 * definitions of ../shared/data/recommend/README.md (its reference numbers prove this harness):
 * hit rate@k is 1 if any of the top k is relevant; NDCG@k has binary relevance, DCG = Σ 1/log2(rank + 1)
 * over relevant items at ranks 1..k, IDCG over ranks 1..min(k, |relevant|). Popularity is the number
 * of distinct customers who bought an item in training, ties to the smaller id (as strings).
 */
import type { TrainingLine } from "../shared/schemas/recommend.ts";

export interface RankingScore {
  /** Customers scored. */
  users: number;
  hitRate: number;
  ndcg: number;
}

export function hitAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return ranking.slice(0, k).some((item) => relevant.has(item)) ? 1 : 0;
}

export function ndcgAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((item, index) => {
    if (relevant.has(item)) dcg += 1 / Math.log2(index + 2);
  });
  let ideal = 0;
  for (let rank = 1; rank <= Math.min(k, relevant.size); rank++) ideal += 1 / Math.log2(rank + 1);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Mean hit rate and NDCG over the customers given (each: a ranking and the relevant items). */
export function scoreRankings(cases: readonly { ranking: readonly string[]; relevant: ReadonlySet<string> }[], k: number): RankingScore {
  let hits = 0;
  let ndcg = 0;
  for (const { ranking, relevant } of cases) {
    hits += hitAt(ranking, relevant, k);
    ndcg += ndcgAt(ranking, relevant, k);
  }
  const users = cases.length;
  return { users, hitRate: users === 0 ? 0 : hits / users, ndcg: users === 0 ? 0 : ndcg / users };
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every item bought in training, most distinct buyers first, ties by id; and the buyer counts. */
export function popularityRanking(lines: readonly TrainingLine[]): { ranking: string[]; buyers: Map<string, number> } {
  const users = new Map<string, Set<string>>();
  for (const line of lines) {
    let set = users.get(line.itemId);
    if (!set) users.set(line.itemId, (set = new Set()));
    set.add(line.userId);
  }
  const buyers = new Map([...users].map(([item, set]) => [item, set.size]));
  const ranking = [...buyers.keys()].sort((a, b) => (buyers.get(b) ?? 0) - (buyers.get(a) ?? 0) || byId(a, b));
  return { ranking, buyers };
}

/** The top `k` of `ranking` that `skip` does not hold. */
export function topExcept(ranking: readonly string[], skip: ReadonlySet<string>, k: number): string[] {
  const top: string[] = [];
  for (const item of ranking) {
    if (top.length === k) break;
    if (!skip.has(item)) top.push(item);
  }
  return top;
}

/**
 * The own-history baseline: the customer's training items, in the most invoices first, ties by
 * popularity then id, padded with the most popular items they did not buy.
 */
export function ownHistoryRanking(history: readonly TrainingLine[], popular: { ranking: readonly string[]; buyers: ReadonlyMap<string, number> }, k: number): string[] {
  const invoices = new Map<string, Set<string>>();
  for (const line of history) {
    let set = invoices.get(line.itemId);
    if (!set) invoices.set(line.itemId, (set = new Set()));
    set.add(line.basketId);
  }
  const count = (item: string): number => invoices.get(item)?.size ?? 0;
  const own = [...invoices.keys()].sort((a, b) => count(b) - count(a) || (popular.buyers.get(b) ?? 0) - (popular.buyers.get(a) ?? 0) || byId(a, b));
  const top = own.slice(0, k);
  return [...top, ...topExcept(popular.ranking, new Set(top), k - top.length)];
}
