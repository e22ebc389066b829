/**
 * Scoring: a customer's own purchase history against a trained model (train.ts) → the top items,
 * each with the reason it is there. Three signals, added with weights:
 *
 *   repeat(i)  for an item the customer bought: their own habit, the share of their baskets that
 *              hold it (a basket `historyHalfLifeDays` older than their latest counts half),
 *              smoothed with `rebuyPrior` pseudo-baskets at the item's re-buy rate among all
 *              customers: (Σ weights of their baskets with i + rebuyPrior · rebuy(i)) /
 *              (Σ weights of all their baskets + rebuyPrior). Among things bought equally often,
 *              the ones people usually buy again come first.
 *   co(i)      for an item the customer has not bought: what customers who bought the same things
 *              also bought, Σ over their items j of repeat(j) · similarity(j → i) / Σ repeat(j).
 *   pop(i)     the item's (recent) popularity relative to the most popular item: the back-off for a
 *              customer whose history says little, and a nudge towards what sells now.
 *
 *   score(i) = repeat(i) + coPurchaseWeight · co(i) + popularityWeight · pop(i)
 *
 * Recency is measured back from the customer's own latest basket, not from today: a customer who
 * returns after a year still sees their habits first, and the ranking does not change with the clock.
 *
 * Pure TypeScript (no Node or Workers APIs): a Worker, the demo shop and the benchmark run the same code.
 */
import type { PurchaseLine, Recommendation, RecommendationReason, RecommenderModel } from "../schemas/recommend.ts";
import { compareIds } from "./ids.ts";

const DAY_MS = 86_400_000;

export interface ScoringParams {
  /** A basket this many days older than the customer's latest counts half; null: all count the same. */
  historyHalfLifeDays: number | null;
  /** A line counts × (1 + quantityWeight · ln quantity): buying 12 says more than buying 1. 0: quantity ignored. */
  quantityWeight: number;
  /** Pseudo-baskets at the item's re-buy rate added to the customer's own share (0: their share alone). */
  rebuyPrior: number;
  coPurchaseWeight: number;
  popularityWeight: number;
}

export interface RecommendOptions {
  /** How many items to return. */
  limit: number;
  /** Leave out what the customer already bought ("something new"). */
  excludeOwned?: boolean;
  params: ScoringParams;
}

/** A model with its item positions looked up once, for scoring many customers. */
export interface ScoringModel {
  model: RecommenderModel;
  position: ReadonlyMap<string, number>;
}

export function indexModel(model: RecommenderModel): ScoringModel {
  return { model, position: new Map(model.items.map((item, index) => [item, index])) };
}

/** What one customer's history says about an item they bought. */
interface OwnItem {
  repeat: number;
  /** How many of their baskets hold it, and when the last one was bought. */
  baskets: number;
  lastTime: number;
}

function ownItems(history: readonly PurchaseLine[], scoring: ScoringModel, params: ScoringParams): Map<string, OwnItem> {
  const baskets = new Map<string, { time: number; quantities: Map<string, number> }>();
  for (const line of history) {
    let basket = baskets.get(line.basketId);
    if (!basket) baskets.set(line.basketId, (basket = { time: line.time, quantities: new Map() }));
    basket.time = Math.min(basket.time, line.time);
    basket.quantities.set(line.itemId, (basket.quantities.get(line.itemId) ?? 0) + line.quantity);
  }
  let latest = 0;
  for (const basket of baskets.values()) latest = Math.max(latest, basket.time);
  let totalWeight = 0;
  const own = new Map<string, OwnItem>();
  for (const basket of baskets.values()) {
    const weight = params.historyHalfLifeDays === null ? 1 : 0.5 ** ((latest - basket.time) / DAY_MS / params.historyHalfLifeDays);
    totalWeight += weight;
    for (const [item, quantity] of basket.quantities) {
      const entry = own.get(item) ?? { repeat: 0, baskets: 0, lastTime: 0 };
      entry.repeat += weight * (1 + params.quantityWeight * Math.log(quantity));
      entry.baskets += 1;
      entry.lastTime = Math.max(entry.lastTime, basket.time);
      own.set(item, entry);
    }
  }
  for (const [item, entry] of own) {
    const position = scoring.position.get(item);
    const rebuy = position === undefined ? 0 : (scoring.model.rebuy[position] ?? 0);
    entry.repeat = (entry.repeat + params.rebuyPrior * rebuy) / (totalWeight + params.rebuyPrior);
  }
  return own;
}

interface Candidate {
  itemId: string;
  position: number | undefined;
  repeat: number;
  co: number;
  /** The customer's item contributing most to `co`, and how much: the "often bought with" of the reason. */
  bestWith: string | null;
  bestContribution: number;
}

export function recommend(scoring: ScoringModel, history: readonly PurchaseLine[], options: RecommendOptions): Recommendation[] {
  const { model, position } = scoring;
  const { params, limit } = options;
  if (limit <= 0) return [];
  const own = history.length === 0 ? new Map<string, OwnItem>() : ownItems(history, scoring, params);
  const candidates = new Map<string, Candidate>();
  const candidate = (itemId: string): Candidate => {
    let entry = candidates.get(itemId);
    if (!entry) {
      entry = { itemId, position: position.get(itemId), repeat: 0, co: 0, bestWith: null, bestContribution: 0 };
      candidates.set(itemId, entry);
    }
    return entry;
  };

  let repeatTotal = 0;
  for (const entry of own.values()) repeatTotal += entry.repeat;
  for (const [itemId, entry] of own) {
    if (!options.excludeOwned) candidate(itemId).repeat = entry.repeat;
    const from = position.get(itemId);
    if (from === undefined || repeatTotal <= 0) continue;
    for (const [neighbour, similarity] of model.neighbours[from] ?? []) {
      const neighbourId = model.items[neighbour] ?? "";
      // What they bought is ranked by their own habit; co-purchases suggest what they have not.
      if (own.has(neighbourId)) continue;
      const target = candidate(neighbourId);
      const contribution = (entry.repeat * similarity) / repeatTotal;
      target.co += contribution;
      if (contribution > target.bestContribution) {
        target.bestContribution = contribution;
        target.bestWith = itemId;
      }
    }
  }
  // The popular back-off: enough of the top items that `limit` remain after any exclusion.
  let added = 0;
  for (let index = 0; index < model.items.length && added < limit; index++) {
    const itemId = model.items[index] ?? "";
    if (options.excludeOwned && own.has(itemId)) continue;
    candidate(itemId);
    added++;
  }

  const topPopularity = model.popularity[0] ?? 0;
  const popularityOf = (entry: Candidate): number => (entry.position === undefined ? 0 : (model.popularity[entry.position] ?? 0));
  const scored = [...candidates.values()].map((entry) => {
    const co = params.coPurchaseWeight * entry.co;
    const pop = topPopularity === 0 ? 0 : (params.popularityWeight * popularityOf(entry)) / topPopularity;
    return { entry, score: entry.repeat + co + pop, co, pop };
  });
  scored.sort((a, b) => b.score - a.score || popularityOf(b.entry) - popularityOf(a.entry) || compareIds(a.entry.itemId, b.entry.itemId));

  return scored.slice(0, limit).map(({ entry, score, co, pop }) => {
    const mine = options.excludeOwned ? undefined : own.get(entry.itemId);
    const reason: RecommendationReason = mine
      ? { kind: "bought_before", baskets: mine.baskets, lastTime: mine.lastTime }
      : entry.bestWith !== null && co >= pop
        ? { kind: "bought_with", withItemId: entry.bestWith }
        : { kind: "popular" };
    return { itemId: entry.itemId, score, reason };
  });
}
