/** Scoring helpers shared by both systems. */
import type { GoldEntity } from "./datasets.ts";

export interface EntityCounts {
  truePositives: number;
  predicted: number;
  gold: number;
}

/** Exact span + label matches, accumulated for micro-averaged F1. */
export function countEntityMatches(counts: EntityCounts, predicted: GoldEntity[], gold: GoldEntity[]): void {
  const goldKeys = new Set(gold.map((e) => `${e.entity}|${e.start}|${e.end}`));
  const predictedKeys = new Set(predicted.map((e) => `${e.entity}|${e.start}|${e.end}`));
  for (const key of predictedKeys) if (goldKeys.has(key)) counts.truePositives++;
  counts.predicted += predictedKeys.size;
  counts.gold += goldKeys.size;
}

export function f1(counts: EntityCounts): number {
  const precision = counts.predicted === 0 ? 0 : counts.truePositives / counts.predicted;
  const recall = counts.gold === 0 ? 0 : counts.truePositives / counts.gold;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export { percentile } from "./stats.ts";

/** Intent scores for a list of (gold, predicted) pairs; with an oos label also in-scope accuracy and oos recall. */
export function intentScores(pairs: Array<[string, string]>, oosLabel?: string): { intentAccuracy: number; inScopeAccuracy: number | null; oosRecall: number | null } {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosCorrect = 0;
  for (const [gold, predicted] of pairs) {
    if (gold === predicted) correct++;
    if (oosLabel === undefined) continue;
    if (gold === oosLabel) {
      oos++;
      if (predicted === oosLabel) oosCorrect++;
    } else {
      inScope++;
      if (predicted === gold) inScopeCorrect++;
    }
  }
  return {
    intentAccuracy: correct / pairs.length,
    inScopeAccuracy: oosLabel === undefined ? null : inScopeCorrect / inScope,
    oosRecall: oosLabel === undefined ? null : oosCorrect / oos,
  };
}

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
