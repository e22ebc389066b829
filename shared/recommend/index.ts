/**
 * The recommender: train co-purchase statistics and popularity offline (train.ts) into a JSON model
 * (shared/schemas/recommend.ts), then score one customer's own history against it (score.ts).
 * Pure TypeScript: the demo shop, the benchmark and a Worker run the same code.
 */
export { DEFAULT_SCORING_PARAMS, DEFAULT_TRAINING_PARAMS } from "./defaults.ts";
export { indexModel, recommend, type RecommendOptions, type ScoringModel, type ScoringParams } from "./score.ts";
export { trainRecommender } from "./train.ts";
