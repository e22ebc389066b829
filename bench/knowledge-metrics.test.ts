// The bench's own pieces: the README's metric definitions and its plain BM25 tokenisation.
import { describe, expect, it } from "vitest";
import { meanScores, scoreRanking } from "./knowledge-metrics.ts";
import { PlainBm25, plainTokens } from "./knowledge-plain-bm25.ts";

describe("retrieval metrics", () => {
  it("hit@3, recall@3 and MRR@10 follow the README's definitions", () => {
    expect(scoreRanking(["x", "a", "y", "b"], ["a", "b"])).toEqual({ hit_at_3: 1, recall_at_3: 0.5, mrr: 0.5 });
    expect(scoreRanking(["x", "y", "z", "a"], ["a"])).toEqual({ hit_at_3: 0, recall_at_3: 0, mrr: 0.25 });
    expect(scoreRanking(["x", "y", "z", "1", "2", "3", "4", "5", "6", "7", "a"], ["a"]).mrr).toBe(0);
    expect(meanScores([{ hit_at_3: 1, recall_at_3: 1, mrr: 1 }, { hit_at_3: 0, recall_at_3: 0, mrr: 1 / 3 }])).toEqual({ hit_at_3: 0.5, recall_at_3: 0.5, mrr: 0.667 });
  });
});

describe("the README's plain BM25", () => {
  it("splits Latin text on [a-z0-9]+ and Chinese into characters and pairs", () => {
    expect(plainTokens("Don't ship 2x, 退货运费")).toEqual(["don", "t", "ship", "2x", "退", "货", "运", "费", "退货", "货运", "运费"]);
  });

  it("ranks the passage sharing the rarer words first", () => {
    const bm25 = new PlainBm25([
      { id: "a", title: "Shipping", text: "We ship to Canada and the EU." },
      { id: "b", title: "Returns", text: "Return an item within 30 days." },
    ]);
    expect(bm25.search("do you ship to canada")).toEqual(["a"]);
    expect(bm25.search("return within 30 days")[0]).toBe("b");
  });
});
