// The benchmark's measures and baselines, on cases small enough to compute by hand.
import { describe, expect, it } from "vitest";
import type { TrainingLine } from "../shared/schemas/recommend.ts";
import { hitAt, ndcgAt, ownHistoryRanking, popularityRanking, scoreRankings, topExcept } from "./recommend-metrics.ts";

const line = (userId: string, basketId: string, itemId: string): TrainingLine => ({ userId, basketId, itemId, time: 0, quantity: 1 });

describe("hit rate and NDCG at 5", () => {
  it("count a hit anywhere in the top 5 and none below it", () => {
    expect(hitAt(["a", "b", "c", "d", "e", "f"], new Set(["e"]), 5)).toBe(1);
    expect(hitAt(["a", "b", "c", "d", "e", "f"], new Set(["f"]), 5)).toBe(0);
  });

  it("discount a hit by its rank and normalise by the best possible ranking", () => {
    expect(ndcgAt(["x", "a"], new Set(["a"]), 5)).toBeCloseTo(1 / Math.log2(3), 12);
    // Two relevant items at ranks 1 and 3: (1 + 1/2) / (1 + 1/log2 3).
    expect(ndcgAt(["a", "x", "b"], new Set(["a", "b"]), 5)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    // Eight relevant items: the ideal is five hits.
    const relevant = new Set(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(ndcgAt(["a", "b", "c", "d", "e"], relevant, 5)).toBeCloseTo(1, 12);
    expect(ndcgAt(["x"], new Set(), 5)).toBe(0);
  });

  it("average over customers", () => {
    const score = scoreRankings(
      [
        { ranking: ["a"], relevant: new Set(["a"]) },
        { ranking: ["b"], relevant: new Set(["z"]) },
      ],
      5,
    );
    expect(score).toEqual({ users: 2, hitRate: 0.5, ndcg: 0.5 });
  });
});

describe("baselines", () => {
  const lines = [line("u1", "1", "b"), line("u1", "1", "a"), line("u2", "2", "a"), line("u2", "2", "c"), line("u3", "3", "c"), line("u3", "4", "c")];

  it("most popular counts distinct buyers, ties to the smaller id", () => {
    const { ranking, buyers } = popularityRanking(lines);
    expect(ranking).toEqual(["a", "c", "b"]); // a and c have 2 buyers each (u3 twice counts once)
    expect(buyers.get("c")).toBe(2);
    expect(topExcept(ranking, new Set(["a"]), 5)).toEqual(["c", "b"]);
  });

  it("own history ranks by invoices, then popularity, then id, padded with most popular", () => {
    const popular = popularityRanking(lines);
    const history = [line("u9", "1", "b"), line("u9", "2", "b"), line("u9", "1", "zz"), line("u9", "3", "c")];
    // b: 2 invoices; c and zz: 1 each, c is more popular.
    expect(ownHistoryRanking(history, popular, 5)).toEqual(["b", "c", "zz", "a"]);
    expect(ownHistoryRanking(history, popular, 2)).toEqual(["b", "c"]);
  });
});
