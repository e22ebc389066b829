/** Scoring helpers shared by both systems (precision, recall, F1 and intent accuracy live in devkit/, shared with `npx stratus test nlu`). */
import type { MatchCounts } from "../devkit/nlu-scores.ts";
import type { GoldEntity } from "./datasets.ts";

export { f1, intentScores } from "../devkit/nlu-scores.ts";
export type EntityCounts = MatchCounts;

/** Exact span + label matches, accumulated for micro-averaged F1. */
export function countEntityMatches(counts: EntityCounts, predicted: GoldEntity[], gold: GoldEntity[]): void {
  const goldKeys = new Set(gold.map((e) => `${e.entity}|${e.start}|${e.end}`));
  const predictedKeys = new Set(predicted.map((e) => `${e.entity}|${e.start}|${e.end}`));
  for (const key of predictedKeys) if (goldKeys.has(key)) counts.truePositives++;
  counts.predicted += predictedKeys.size;
  counts.gold += goldKeys.size;
}

export { percentile } from "./stats.ts";

export interface SystemResult {
  intent_accuracy: number | null;
  in_scope_accuracy: number | null;
  oos_recall: number | null;
  entity_f1: number | null;
  train_s: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  model_bytes: number | null;
  model_gzip_bytes: number | null;
}

/**
 * Collects the garbage left by training before latency is measured (the bench runs with --expose-gc):
 * a Worker isolate only ever loads the trained artifact, so training's heap is not part of its latency.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
