/**
 * Training: co-purchase statistics and popularity from many customers' baskets, into a compact
 * model (shared/schemas/recommend.ts) that is built offline and only read when scoring.
 *
 * Pure TypeScript (no Node or Workers APIs): the demo shop's build script and the benchmark run it.
 */
import { RECOMMENDER_MODEL_VERSION, type RecommenderModel, type TrainingLine, type TrainingParams } from "../schemas/recommend.ts";
import { compareIds } from "./ids.ts";

const DAY_MS = 86_400_000;

/** One customer's basket: its distinct items and when it was bought. */
interface Basket {
  user: string;
  time: number;
  items: Set<string>;
}

function basketsOf(lines: readonly TrainingLine[]): Basket[] {
  const baskets = new Map<string, Basket>();
  for (const line of lines) {
    // Keyed by customer too: two shops' exports may reuse an order number.
    const key = `${line.userId}\u0000${line.basketId}`;
    let basket = baskets.get(key);
    if (!basket) {
      basket = { user: line.userId, time: line.time, items: new Set() };
      baskets.set(key, basket);
    }
    basket.time = Math.min(basket.time, line.time);
    basket.items.add(line.itemId);
  }
  return [...baskets.values()];
}

/** Four significant digits keep the model small; ranking differences below that are noise. */
const compact = (value: number): number => Number(value.toPrecision(4));

/**
 * Items most popular first, ties by id: the order the model lists them in. An item's popularity is
 * its number of buyers, each counted 0.5^(age / halfLife) by the age of their last purchase of it
 * before the newest basket (with no half-life, each buyer counts 1).
 */
function rankByPopularity(baskets: readonly Basket[], newest: number, halfLifeDays: number | null): { items: string[]; popularity: number[] } {
  const lastBought = new Map<string, Map<string, number>>();
  for (const basket of baskets) {
    for (const item of basket.items) {
      let buyers = lastBought.get(item);
      if (!buyers) lastBought.set(item, (buyers = new Map<string, number>()));
      buyers.set(basket.user, Math.max(buyers.get(basket.user) ?? 0, basket.time));
    }
  }
  const ranked = [...lastBought].map(([item, buyers]) => {
    let count = 0;
    for (const time of buyers.values()) count += halfLifeDays === null ? 1 : 0.5 ** ((newest - time) / DAY_MS / halfLifeDays);
    return { item, count: Math.round(count * 1000) / 1000 };
  });
  ranked.sort((a, b) => b.count - a.count || compareIds(a.item, b.item));
  return { items: ranked.map((entry) => entry.item), popularity: ranked.map((entry) => entry.count) };
}

/**
 * Per item, how often customers buy it again once they have it: Σ (baskets holding it after the
 * customer's first) / Σ (baskets the customer bought after that first), over its buyers, pulled
 * towards the rate of all items by `smoothing` pseudo-baskets. Consumables score high, one-offs low.
 */
function rebuyRates(baskets: readonly Basket[], position: ReadonlyMap<string, number>, count: number, smoothing: number): number[] {
  const again = new Float64Array(count);
  const chances = new Float64Array(count);
  const byUser = new Map<string, Basket[]>();
  for (const basket of baskets) {
    const list = byUser.get(basket.user);
    if (list) list.push(basket);
    else byUser.set(basket.user, [basket]);
  }
  for (const list of byUser.values()) {
    list.sort((a, b) => a.time - b.time);
    const first = new Map<number, number>();
    const held = new Map<number, number>();
    list.forEach((basket, index) => {
      for (const item of basket.items) {
        const i = position.get(item) ?? 0;
        if (!first.has(i)) first.set(i, index);
        held.set(i, (held.get(i) ?? 0) + 1);
      }
    });
    for (const [i, index] of first) {
      again[i] = (again[i] ?? 0) + (held.get(i) ?? 1) - 1;
      chances[i] = (chances[i] ?? 0) + list.length - index - 1;
    }
  }
  const overall = again.reduce((sum, value) => sum + value, 0) / Math.max(1, chances.reduce((sum, value) => sum + value, 0));
  return Array.from(again, (value, i) => compact((value + smoothing * overall) / ((chances[i] ?? 0) + smoothing) || 0));
}

export function trainRecommender(lines: readonly TrainingLine[], params: TrainingParams): RecommenderModel {
  const baskets = basketsOf(lines);
  const newest = baskets.reduce((latest, basket) => Math.max(latest, basket.time), 0);
  const { items, popularity } = rankByPopularity(baskets, newest, params.popularityHalfLifeDays);
  const position = new Map(items.map((item, index) => [item, index]));
  const count = items.length;

  // Weighted basket count per item, and per pair (i < j, keyed i * count + j): the weighted and
  // the plain number of baskets holding both.
  const itemWeight = new Float64Array(count);
  const pairWeight = new Map<number, number>();
  const pairBaskets = new Map<number, number>();
  for (const basket of baskets) {
    const members = [...basket.items].map((item) => position.get(item) ?? -1).sort((a, b) => a - b);
    const age = params.coPurchaseHalfLifeDays === null ? 0 : (newest - basket.time) / DAY_MS / params.coPurchaseHalfLifeDays;
    const weight = 0.5 ** age / members.length ** params.basketSizeExponent;
    for (let a = 0; a < members.length; a++) {
      const i = members[a] ?? 0;
      itemWeight[i] = (itemWeight[i] ?? 0) + weight;
      for (let b = a + 1; b < members.length; b++) {
        const key = i * count + (members[b] ?? 0);
        pairWeight.set(key, (pairWeight.get(key) ?? 0) + weight);
        pairBaskets.set(key, (pairBaskets.get(key) ?? 0) + 1);
      }
    }
  }

  const candidates: [number, number][][] = Array.from({ length: count }, () => []);
  for (const [key, together] of pairWeight) {
    if ((pairBaskets.get(key) ?? 0) < params.minCoCount) continue;
    const i = Math.floor(key / count);
    const j = key % count;
    const ni = itemWeight[i] ?? 0;
    const nj = itemWeight[j] ?? 0;
    // Similarity of j as a recommendation for a customer who has i, and of i for one who has j.
    candidates[i]?.push([j, together / (ni ** params.alpha * nj ** (1 - params.alpha))]);
    candidates[j]?.push([i, together / (nj ** params.alpha * ni ** (1 - params.alpha))]);
  }
  const neighbours = candidates.map((list) =>
    list
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, params.neighbours)
      .map(([neighbour, similarity]): [number, number] => [neighbour, compact(similarity)]),
  );

  return {
    version: RECOMMENDER_MODEL_VERSION,
    params,
    trainedOn: { users: new Set(baskets.map((basket) => basket.user)).size, baskets: baskets.length, lines: lines.length },
    items,
    popularity,
    rebuy: rebuyRates(baskets, position, count, params.rebuySmoothing),
    neighbours,
  };
}
