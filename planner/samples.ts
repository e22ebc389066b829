// Per-message samples (turn-cost.json's per_turn, per_bot, per_failed_turn) mixed by weight: a bot
// mix, the groups of a traffic, an outage's failing share.
import type { TurnCostSample } from "../shared/schemas/capacity.ts";

/**
 * Samples averaged by weight, field by field (every field of a sample is a per-message mean): a
 * field one sample lacks (a queue one bot never used) counts as 0 there.
 */
export function weightedSample(parts: ReadonlyArray<readonly [TurnCostSample, number]>): TurnCostSample {
  const total = parts.reduce((sum, [, weight]) => sum + weight, 0) || 1;
  const average = (values: ReadonlyArray<readonly [unknown, number]>): unknown => {
    const present = values.find(([value]) => value !== undefined)?.[0];
    if (typeof present === "number" || present === undefined) {
      return values.reduce((sum, [value, weight]) => sum + (typeof value === "number" ? value * weight : 0), 0) / total;
    }
    const keys = [...new Set(values.flatMap(([value]) => (value && typeof value === "object" ? Object.keys(value) : [])))];
    return Object.fromEntries(keys.map((key) => [key, average(values.map(([value, weight]) => [(value as Record<string, unknown> | undefined)?.[key], weight] as const))]));
  };
  return average(parts) as TurnCostSample;
}
