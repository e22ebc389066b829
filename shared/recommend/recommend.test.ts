// The recommender on small hand-made purchase logs: what a shopper would notice in the list.
import { describe, expect, it } from "vitest";
import { RecommenderModelSchema, type PurchaseLine, type TrainingLine, type TrainingParams } from "../schemas/recommend.ts";
import { DEFAULT_SCORING_PARAMS, indexModel, recommend, trainRecommender, type ScoringParams } from "./index.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const TRAINING: TrainingParams = {
  basketSizeExponent: 0.5,
  coPurchaseHalfLifeDays: null,
  popularityHalfLifeDays: null,
  alpha: 0.5,
  minCoCount: 1,
  neighbours: 10,
  rebuySmoothing: 1,
};
const PLAIN: ScoringParams = { historyHalfLifeDays: null, quantityWeight: 0, rebuyPrior: 0, coPurchaseWeight: 0.5, popularityWeight: 0.01 };

/** Baskets as `user: [day, items…]` lists. */
function log(baskets: Record<string, [number, ...string[]][]>): TrainingLine[] {
  return Object.entries(baskets).flatMap(([userId, list]) =>
    list.flatMap(([day, ...items], index) => items.map((itemId) => ({ userId, basketId: `${userId}-${index}`, itemId, time: T0 + day * DAY, quantity: 1 }))),
  );
}
const history = (lines: TrainingLine[], userId: string): PurchaseLine[] =>
  lines.filter((line) => line.userId === userId).map(({ itemId, basketId, time, quantity }) => ({ itemId, basketId, time, quantity }));

// Grinders go with beans and filters; tents with sleeping bags; mugs sell to everyone.
const SHOP = log({
  ann: [[0, "grinder", "beans", "filters"], [30, "beans", "mug"]],
  bob: [[1, "grinder", "beans"], [20, "filters", "mug"]],
  cat: [[2, "tent", "sleeping-bag", "mug"], [40, "beans"]],
  dan: [[3, "tent", "sleeping-bag"], [9, "mug"]],
  eve: [[4, "grinder", "filters", "mug"]],
  fay: [[5, "lamp"]],
});

describe("trainRecommender", () => {
  it("writes a model the schema accepts, most popular item first, that survives a JSON round trip", () => {
    const model = trainRecommender(SHOP, TRAINING);
    expect(RecommenderModelSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(model.items[0]).toBe("mug"); // five buyers
    expect(model.popularity[0]).toBe(5);
    expect(model.trainedOn).toEqual({ users: 6, baskets: 10, lines: SHOP.length });
  });

  it("lists each item's co-purchased items, most similar first, and never the item itself", () => {
    const model = trainRecommender(SHOP, TRAINING);
    const grinder = model.items.indexOf("grinder");
    const neighbours = (model.neighbours[grinder] ?? []).map(([position]) => model.items[position]);
    expect(neighbours.slice(0, 2).sort()).toEqual(["beans", "filters"]);
    expect(neighbours).not.toContain("grinder");
    expect(neighbours).not.toContain("tent");
  });

  it("drops pairs seen together in fewer baskets than minCoCount", () => {
    const model = trainRecommender(SHOP, { ...TRAINING, minCoCount: 2 });
    const lamp = model.items.indexOf("lamp");
    expect(model.neighbours[lamp]).toEqual([]);
    const tent = model.items.indexOf("tent");
    expect((model.neighbours[tent] ?? []).map(([position]) => model.items[position])).toEqual(["sleeping-bag"]);
  });

  it("with a popularity half-life, an item bought lately outranks one bought as often long ago", () => {
    const lines = log({ a: [[0, "old"], [200, "new"]], b: [[1, "old"], [201, "new"]] });
    expect(trainRecommender(lines, TRAINING).items).toEqual(["new", "old"]); // a tie, by id
    const recent = trainRecommender(lines, { ...TRAINING, popularityHalfLifeDays: 30 });
    expect(recent.items).toEqual(["new", "old"]);
    expect(recent.popularity[0]).toBeGreaterThan(1.9);
    expect(recent.popularity[1]).toBeLessThan(0.02);
    const reversed = trainRecommender(log({ a: [[0, "new"], [200, "old"]], b: [[1, "new"], [201, "old"]] }), { ...TRAINING, popularityHalfLifeDays: 30 });
    expect(reversed.items).toEqual(["old", "new"]);
  });

  it("learns which items customers buy again", () => {
    const lines = log({
      a: [[0, "coffee", "kettle"], [10, "coffee"], [20, "coffee"]],
      b: [[0, "coffee", "kettle"], [15, "coffee"]],
    });
    const model = trainRecommender(lines, { ...TRAINING, rebuySmoothing: 0 });
    expect(model.rebuy[model.items.indexOf("coffee")]).toBe(1);
    expect(model.rebuy[model.items.indexOf("kettle")]).toBe(0);
  });
});

describe("recommend", () => {
  const scoring = indexModel(trainRecommender(SHOP, TRAINING));

  it("suggests what others bought with the customer's items, naming the item it goes with", () => {
    const history: PurchaseLine[] = [{ itemId: "tent", basketId: "o1", time: T0, quantity: 1 }];
    const [first, ...rest] = recommend(scoring, history, { limit: 3, params: PLAIN });
    expect(first?.itemId).toBe("tent");
    expect(first?.reason).toEqual({ kind: "bought_before", baskets: 1, lastTime: T0 });
    expect(rest[0]).toMatchObject({ itemId: "sleeping-bag", reason: { kind: "bought_with", withItemId: "tent" } });
  });

  it("puts the customer's regular purchases first", () => {
    const top = recommend(scoring, history(SHOP, "ann"), { limit: 5, params: PLAIN });
    expect(top[0]).toMatchObject({ itemId: "beans", reason: { kind: "bought_before", baskets: 2, lastTime: T0 + 30 * DAY } });
    expect(top.map((entry) => entry.itemId)).toContain("grinder");
  });

  it("gives a new customer the most popular items", () => {
    const top = recommend(scoring, [], { limit: 2, params: PLAIN });
    expect(top.map((entry) => entry.itemId)).toEqual(["mug", "beans"]);
    expect(top.every((entry) => entry.reason.kind === "popular")).toBe(true);
  });

  it("leaves out what the customer already has when asked for something new", () => {
    const top = recommend(scoring, history(SHOP, "bob"), { limit: 5, params: PLAIN, excludeOwned: true });
    const owned = new Set(history(SHOP, "bob").map((line) => line.itemId));
    expect(top.map((entry) => entry.itemId).sort()).toEqual(["lamp", "sleeping-bag", "tent"]); // all that is left
    expect(top.filter((entry) => owned.has(entry.itemId))).toEqual([]);
    expect(top.every((entry) => entry.reason.kind !== "bought_before")).toBe(true);
  });

  it("ranks the more recent of two equally frequent purchases first when recency counts", () => {
    const lines: PurchaseLine[] = [
      { itemId: "lamp", basketId: "1", time: T0, quantity: 1 },
      { itemId: "tent", basketId: "2", time: T0 + 100 * DAY, quantity: 1 },
    ];
    const params = { ...PLAIN, coPurchaseWeight: 0, popularityWeight: 0 };
    // Without recency the tie goes to the more popular item (tent: 2 buyers, lamp: 1).
    expect(recommend(scoring, lines, { limit: 1, params })[0]?.itemId).toBe("tent");
    const reversed = lines.map((line) => ({ ...line, time: line.itemId === "lamp" ? T0 + 100 * DAY : T0 }));
    expect(recommend(scoring, reversed, { limit: 1, params })[0]?.itemId).toBe("tent");
    expect(recommend(scoring, reversed, { limit: 1, params: { ...params, historyHalfLifeDays: 30 } })[0]?.itemId).toBe("lamp");
  });

  it("among things bought once, prefers what customers usually buy again", () => {
    const lines = log({
      a: [[0, "coffee", "kettle"], [10, "coffee"], [20, "coffee"]],
      b: [[0, "coffee", "kettle"], [15, "coffee"]],
      c: [[0, "kettle"]],
      d: [[0, "kettle"]],
    });
    const model = indexModel(trainRecommender(lines, TRAINING));
    const once: PurchaseLine[] = ["kettle", "coffee"].map((itemId) => ({ itemId, basketId: "x", time: T0, quantity: 1 }));
    const params = { ...PLAIN, coPurchaseWeight: 0, popularityWeight: 0 };
    expect(recommend(model, once, { limit: 1, params })[0]?.itemId).toBe("kettle"); // more buyers
    expect(recommend(model, once, { limit: 1, params: { ...params, rebuyPrior: 5 } })[0]?.itemId).toBe("coffee");
  });

  it("returns exactly `limit` items when the catalogue has them, and nothing for limit 0", () => {
    expect(recommend(scoring, history(SHOP, "fay"), { limit: 7, params: DEFAULT_SCORING_PARAMS })).toHaveLength(7);
    expect(recommend(scoring, history(SHOP, "fay"), { limit: 0, params: DEFAULT_SCORING_PARAMS })).toEqual([]);
  });

  it("copes with items the model has never seen", () => {
    const lines: PurchaseLine[] = [{ itemId: "brand-new", basketId: "1", time: T0, quantity: 3 }];
    const top = recommend(scoring, lines, { limit: 2, params: DEFAULT_SCORING_PARAMS });
    expect(top[0]?.itemId).toBe("brand-new");
    expect(top[1]?.reason.kind).toBe("popular");
  });
});
