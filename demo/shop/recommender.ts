/**
 * The demo shop's recommendations: the shared recommender (shared/recommend/) scoring a customer's
 * own orders against the model trained offline from every demo customer's orders
 * (recommender-model.json, `npm run demo:train-recommender`), turned into product cards.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SCORING_PARAMS, DEFAULT_TRAINING_PARAMS, indexModel, recommend, type ScoringModel } from "../../shared/recommend/index.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { RecommenderModelSchema, type RecommendationReason, type TrainingParams } from "../../shared/schemas/recommend.ts";
import type { ProductCard } from "../../shared/schemas/shop.ts";
import { describeFileIssues } from "../../shared/zod-issues.ts";
import { listing, productName, purchaseHistory, type Shop } from "./catalogue.ts";

export const MODEL_FILE = join(import.meta.dirname, "recommender-model.json");

/**
 * The public log's settings, except two a dozen demo customers need: one shared order is already
 * evidence that two products go together, and every buyer counts the same however long ago.
 */
export const DEMO_TRAINING_PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, minCoCount: 1, popularityHalfLifeDays: null };

export function loadRecommenderModel(): ScoringModel {
  const parsed = RecommenderModelSchema.safeParse(JSON.parse(readFileSync(MODEL_FILE, "utf8")) as unknown);
  if (!parsed.success) throw new Error(describeFileIssues(parsed.error, "demo/shop/recommender-model.json"));
  return indexModel(parsed.data);
}

const REASONS: Record<Locale, { before: (orders: number) => string; with: (name: string) => string; popular: string }> = {
  en: {
    before: (orders) => (orders === 1 ? "You bought this before" : `You bought this before (${orders} orders)`),
    with: (name) => `Often bought with ${name}`,
    popular: "Popular with other customers",
  },
  zh: {
    before: (orders) => (orders === 1 ? "您之前买过" : `您之前买过（${orders} 次）`),
    with: (name) => `常与「${name}」一起购买`,
    popular: "其他顾客常买",
  },
  es: {
    before: (orders) => (orders === 1 ? "Ya lo compraste" : `Ya lo compraste (${orders} pedidos)`),
    with: (name) => `Se compra a menudo con ${name}`,
    popular: "Popular entre otros clientes",
  },
};

function reasonText(shop: Shop, reason: RecommendationReason, locale: Locale): string {
  const words = REASONS[locale];
  switch (reason.kind) {
    case "bought_before":
      return words.before(reason.baskets);
    case "bought_with": {
      const product = shop.products.get(reason.withItemId);
      return words.with(product ? productName(product, locale) : reason.withItemId);
    }
    case "popular":
      return words.popular;
  }
}

/**
 * Up to `limit` cards for a customer. A customer the shop does not know (or one with no orders)
 * gets the most popular products; `onlyNew` leaves out what they bought before.
 */
export function recommendationCards(
  shop: Shop,
  model: ScoringModel,
  customerId: string,
  options: { limit: number; locale: Locale; onlyNew: boolean },
): { known: boolean; cards: ProductCard[] } {
  const customer = shop.customers.get(customerId);
  const history = customer ? purchaseHistory(customer) : [];
  // Ask for a few more than needed: a product the model knows may have left the catalogue.
  const ranked = recommend(model, history, { limit: options.limit + 10, params: DEFAULT_SCORING_PARAMS, excludeOwned: options.onlyNew });
  const cards: ProductCard[] = [];
  for (const entry of ranked) {
    const product = shop.products.get(entry.itemId);
    if (!product) continue;
    // A card shows the product as a listing does, less its category (in that key order: the JSON stays the same).
    const { category: _category, ...shown } = listing(shop, product, options.locale);
    cards.push({ ...shown, reason: reasonText(shop, entry.reason, options.locale), reasonCode: entry.reason.kind });
    if (cards.length === options.limit) break;
  }
  return { known: customer !== undefined, cards };
}
