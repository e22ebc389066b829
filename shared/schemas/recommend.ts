import { z } from "zod";

/**
 * The recommender's boundaries: the purchase lines it learns from and scores, and the trained model
 * (a JSON file built offline, read by whoever serves recommendations). See shared/recommend/.
 */

/** A product's id in a catalogue (the public log's stock codes, the demo shop's `sku-…` ids). */
export const ItemIdSchema = z.string().min(1).max(64);

/** One line of a purchase: an item bought in a basket (an order, an invoice) at a time. */
export const PurchaseLineSchema = z.object({
  itemId: ItemIdSchema,
  /** The order or invoice the line belongs to; lines of one basket share it and its time. */
  basketId: z.string().min(1).max(64),
  /** When the basket was bought, in milliseconds since 1970 (UTC). */
  time: z.number().int().nonnegative(),
  quantity: z.number().positive(),
});
export type PurchaseLine = z.infer<typeof PurchaseLineSchema>;

/** A customer's line in the training data: a purchase line and whose it is. */
export const TrainingLineSchema = PurchaseLineSchema.extend({ userId: z.string().min(1).max(128) });
export type TrainingLine = z.infer<typeof TrainingLineSchema>;

/** How the co-purchase statistics are counted (chosen at training time; see train.ts). */
export const TrainingParamsSchema = z.object({
  /** Each basket's co-purchases count 1 / (distinct items)^exponent: a wholesaler's 300-line basket says less about each pair. */
  basketSizeExponent: z.number().min(0).max(2),
  /** Co-purchases in baskets older than the newest one count half as much every this many days; null: all count the same. */
  coPurchaseHalfLifeDays: z.number().positive().nullable(),
  /**
   * A customer counts towards an item's popularity half as much for every this many days their
   * last purchase of it is older than the newest basket ("popular lately"); null: every buyer counts 1.
   */
  popularityHalfLifeDays: z.number().positive().nullable(),
  /**
   * Similarity of j to i = co(i, j) / (n(i)^alpha · n(j)^(1 − alpha)): 0.5 is the cosine, 1 the
   * conditional probability P(j | i) (favours popular j), 0 P(i | j).
   */
  alpha: z.number().min(0).max(1),
  /** Pairs bought together in fewer baskets than this are noise and left out. */
  minCoCount: z.number().int().min(1),
  /** Neighbours kept per item: the model's size grows with it. */
  neighbours: z.number().int().min(1).max(500),
  /** Pseudo-counts pulling an item's re-buy rate towards the rate of all items (few buyers say little). */
  rebuySmoothing: z.number().nonnegative(),
});
export type TrainingParams = z.infer<typeof TrainingParamsSchema>;

export const RECOMMENDER_MODEL_VERSION = 1;

/**
 * The trained model: popularity and each item's nearest co-purchased items. Items are listed most
 * popular first (ties by id), and neighbours name them by position in that list.
 */
export const RecommenderModelSchema = z
  .object({
    version: z.literal(RECOMMENDER_MODEL_VERSION),
    params: TrainingParamsSchema,
    /** Customers, baskets and lines the statistics were counted from. */
    trainedOn: z.object({ users: z.number().int().nonnegative(), baskets: z.number().int().nonnegative(), lines: z.number().int().nonnegative() }),
    items: z.array(ItemIdSchema),
    /** Each item's buyers, each counted by how recently they bought it (same order as `items`; see `popularityHalfLifeDays`). */
    popularity: z.array(z.number().nonnegative()),
    /**
     * Per item: how often a customer who bought it buys it again: of the baskets a customer bought
     * after their first basket with the item, the share that hold it again (smoothed).
     */
    rebuy: z.array(z.number().min(0).max(1)),
    /** Per item: [neighbour position, similarity] pairs, most similar first. */
    neighbours: z.array(z.array(z.tuple([z.number().int().nonnegative(), z.number().positive()]))),
  })
  .superRefine((model, context) => {
    const count = model.items.length;
    if (model.popularity.length !== count || model.rebuy.length !== count || model.neighbours.length !== count) {
      context.addIssue({ code: "custom", message: "items, popularity, rebuy and neighbours must have the same length" });
      return;
    }
    model.neighbours.forEach((list, item) => {
      if (list.some(([neighbour]) => neighbour >= count || neighbour === item)) {
        context.addIssue({ code: "custom", path: ["neighbours", item], message: "a neighbour must be another listed item" });
      }
    });
  });
export type RecommenderModel = z.infer<typeof RecommenderModelSchema>;

/** Why an item is recommended, as data (the caller words it in the user's language). */
export const RecommendationReasonSchema = z.discriminatedUnion("kind", [
  /** The customer bought it before: in `baskets` of their orders, the last at `lastTime`. */
  z.object({ kind: z.literal("bought_before"), baskets: z.number().int().positive(), lastTime: z.number().int().nonnegative() }),
  /** Customers who bought `withItemId` (which this customer bought) often bought it too. */
  z.object({ kind: z.literal("bought_with"), withItemId: ItemIdSchema }),
  /** Many customers buy it: the back-off when the customer's own history says too little. */
  z.object({ kind: z.literal("popular") }),
]);
export type RecommendationReason = z.infer<typeof RecommendationReasonSchema>;

export const RecommendationSchema = z.object({
  itemId: ItemIdSchema,
  score: z.number(),
  reason: RecommendationReasonSchema,
});
export type Recommendation = z.infer<typeof RecommendationSchema>;
