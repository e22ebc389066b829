/**
 * Scores the recommender and the two reference baselines on held-out baskets, under both protocols
 * of ../shared/data/recommend/README.md:
 *   main        the relevant set is every distinct item of the held-out basket;
 *   new items   items in the customer's training history are removed from the ranking and from
 *               the relevant set; customers left with no relevant item are skipped.
 */
import type { TrainingLine } from "../shared/schemas/recommend.ts";
import { recommend, type ScoringModel, type ScoringParams } from "../shared/recommend/score.ts";
import { ownHistoryRanking, popularityRanking, scoreRankings, topExcept, type RankingScore } from "./recommend-metrics.ts";
import type { RetailUser } from "./recommend-data.ts";

export const K = 5;

export interface ProtocolScores {
  main: RankingScore;
  newItems: RankingScore;
}

interface HeldOut {
  user: RetailUser;
  relevant: ReadonlySet<string>;
  owned: ReadonlySet<string>;
  newRelevant: ReadonlySet<string>;
}

function heldOut(users: readonly RetailUser[]): HeldOut[] {
  return users.flatMap((user) => {
    if (user.test === null) return [];
    const owned = new Set(user.train.map((line) => line.itemId));
    return [{ user, relevant: user.test, owned, newRelevant: new Set([...user.test].filter((item) => !owned.has(item))) }];
  });
}

function scoreBoth(cases: readonly HeldOut[], rank: (entry: HeldOut, excludeOwned: boolean) => readonly string[]): ProtocolScores {
  return {
    main: scoreRankings(cases.map((entry) => ({ ranking: rank(entry, false), relevant: entry.relevant })), K),
    newItems: scoreRankings(
      cases.filter((entry) => entry.newRelevant.size > 0).map((entry) => ({ ranking: rank(entry, true), relevant: entry.newRelevant })),
      K,
    ),
  };
}

export function evaluateRecommender(users: readonly RetailUser[], scoring: ScoringModel, params: ScoringParams): ProtocolScores {
  return scoreBoth(heldOut(users), ({ user }, excludeOwned) => recommend(scoring, user.train, { limit: K, params, excludeOwned }).map((entry) => entry.itemId));
}

/** Only the main protocol (what tuning optimises), for speed. */
export function evaluateRecommenderMain(users: readonly RetailUser[], scoring: ScoringModel, params: ScoringParams): RankingScore {
  return scoreRankings(
    heldOut(users).map(({ user, relevant }) => ({ ranking: recommend(scoring, user.train, { limit: K, params }).map((entry) => entry.itemId), relevant })),
    K,
  );
}

/**
 * Most popular (the same top 5 for everyone) and own history (the customer's items by number of
 * invoices, padded with the most popular). Under "new items", own history has nothing of its own
 * left to rank and becomes most popular among the items the customer never bought.
 */
export function evaluateBaselines(users: readonly RetailUser[]): { mostPopular: ProtocolScores; ownHistory: ProtocolScores } {
  const lines: TrainingLine[] = users.flatMap((user) => user.train);
  const popular = popularityRanking(lines);
  const cases = heldOut(users);
  return {
    mostPopular: scoreBoth(cases, ({ owned }, excludeOwned) => topExcept(popular.ranking, excludeOwned ? owned : new Set(), K)),
    ownHistory: scoreBoth(cases, ({ user, owned }, excludeOwned) => (excludeOwned ? topExcept(popular.ranking, owned, K) : ownHistoryRanking(user.train, popular, K))),
  };
}
