import type { LatencyBuckets } from "../../shared/schemas/index.ts";

/**
 * Turn latencies as log-spaced buckets, so that minutes add up bucket by bucket and a percentile
 * over any range comes from the sum. Bucket 0 holds latencies up to 1 ms; bucket i ≥ 1 holds
 * (γ^(i−1), γ^i] ms with γ = 2^(1/4), so four buckets per doubling; the last bucket also holds
 * everything slower (γ^80 ms ≈ 17 minutes, far beyond a turn's watchdog).
 *
 * A percentile is read as the bucket's 2·lo·hi/(lo+hi) (the estimate DDSketch uses), which is within
 * (γ−1)/(γ+1) ≈ 8.6 % of every latency in the bucket, hence of the true percentile too.
 */
const GAMMA = 2 ** (1 / 4);
const LAST_BUCKET = 80;

export const LATENCY_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(LAST_BUCKET, Math.ceil(Math.log(ms) / Math.log(GAMMA) - 1e-9));
}

/** The value a percentile falling in bucket `index` is reported as. */
export function bucketEstimate(index: number): number {
  if (index === 0) return 1;
  const lo = GAMMA ** (index - 1);
  const hi = GAMMA ** index;
  return (2 * lo * hi) / (lo + hi);
}

export function addToBuckets(into: LatencyBuckets, from: LatencyBuckets): void {
  for (const [index, count] of Object.entries(from)) into[index] = (into[index] ?? 0) + count;
}

/** Percentiles (0 < q ≤ 1, nearest rank) of the latencies counted in `buckets`; null for none. */
export function percentiles<const Q extends readonly number[]>(buckets: LatencyBuckets, qs: Q): { [K in keyof Q]: number | null } {
  const sorted = Object.entries(buckets)
    .map(([index, count]) => [Number(index), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  return qs.map((q) => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (const [index, count] of sorted) {
      seen += count;
      if (seen >= rank) return Math.round(bucketEstimate(index) * 10) / 10;
    }
    return null;
  }) as { [K in keyof Q]: number | null };
}
