// Classification scores shared by the NLU benchmarks (bench/nlu-*.ts) and `npx stratus test nlu`
// (devkit/bots/nlu-report.ts): precision, recall and F1 from counted matches, and intent accuracy.

/** Matches counted for precision and recall: right answers, answers given, answers expected. */
export interface MatchCounts {
  truePositives: number;
  predicted: number;
  gold: number;
}

/** Share of the answers given that were right (0 when none was given). */
export const precision = (counts: MatchCounts): number => (counts.predicted === 0 ? 0 : counts.truePositives / counts.predicted);

/** Share of the expected answers that were given (0 when none was expected). */
export const recall = (counts: MatchCounts): number => (counts.gold === 0 ? 0 : counts.truePositives / counts.gold);

/** The harmonic mean of precision and recall (0 when both are 0). */
export function f1(counts: MatchCounts): number {
  const p = precision(counts);
  const r = recall(counts);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

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
