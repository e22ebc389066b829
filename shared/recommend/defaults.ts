/**
 * The recommender's settings, chosen by `npm run tune:recommend` on validation splits carved out of
 * the public purchase log's training data (each customer's last, and second-to-last, training
 * basket held out; the test baskets are never read): bench/results/recommend-tune.md.
 */
import type { TrainingParams } from "../schemas/recommend.ts";
import type { ScoringParams } from "./score.ts";

export const DEFAULT_TRAINING_PARAMS: TrainingParams = {
  basketSizeExponent: 0.5,
  coPurchaseHalfLifeDays: null,
  popularityHalfLifeDays: 30,
  alpha: 0.5,
  minCoCount: 2,
  neighbours: 50,
  rebuySmoothing: 20,
};

export const DEFAULT_SCORING_PARAMS: ScoringParams = {
  historyHalfLifeDays: 365,
  quantityWeight: 0.1,
  rebuyPrior: 10,
  coPurchaseWeight: 0.3,
  popularityWeight: 0.1,
};
