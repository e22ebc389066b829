// The driver Worker of `npm run bench:metrics` (bench/metrics-shard.ts). GET /?flushes=N&concurrency=C&series=S
// sends N flushes of S series each, C at a time, from N/10 distinct "isolates", straight to one
// aggregator shard of the metrics Worker, and answers how long that took. Nothing here runs in production.
import type { MetricSeries, MetricsFlush } from "../../shared/schemas/metrics.ts";
import { LATENCY_BUCKETS } from "../../shared/metrics/catalogue.ts";
import type { MetricsAggregatorNamespace } from "../../shared/metrics/shards.ts";

interface DriverEnv {
  METRICS: MetricsAggregatorNamespace;
}

/** A flush like a busy conversation isolate's: a third histograms, the rest counters. */
function series(count: number, seed: number): MetricSeries[] {
  return Array.from({ length: count }, (_, index): MetricSeries => {
    if (index % 3 === 0) {
      const buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
      buckets[(seed + index) % buckets.length] = 3;
      return { metric: "stratus_turn_stage_duration_seconds", labels: ["ecommerce", `stage-${index}`], buckets, sum: 0.12, count: 3 };
    }
    return { metric: "stratus_intents_total", labels: ["ecommerce", "en", `intent-${index}`], value: 1 + (seed % 3) };
  });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const flushes = Number(url.searchParams.get("flushes") ?? "500");
    const concurrency = Number(url.searchParams.get("concurrency") ?? "1");
    const size = Number(url.searchParams.get("series") ?? "40");
    const shard = env.METRICS.get(env.METRICS.idFromName(`bench-shard-${crypto.randomUUID()}`));
    const sources = Array.from({ length: Math.max(1, Math.ceil(flushes / 10)) }, (_, i) => i.toString(16).padStart(32, "0"));
    const seqs = new Map<string, number>();
    const next = (i: number): MetricsFlush => {
      const source = sources[i % sources.length] ?? "0".repeat(32);
      const seq = (seqs.get(source) ?? 0) + 1;
      seqs.set(source, seq);
      return { v: 1, source, seq, series: series(size, i) };
    };
    await shard.ingest(next(0)); // the object starts
    const started = performance.now();
    for (let sent = 1; sent <= flushes; sent += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, flushes - sent + 1) }, (_, k) => next(sent + k));
      await Promise.all(batch.map((flush) => shard.ingest(flush)));
    }
    const ms = performance.now() - started;
    return Response.json({ flushes, concurrency, series: size, ms, flushesPerSecond: (flushes / ms) * 1000 });
  },
} satisfies ExportedHandler<DriverEnv>;
