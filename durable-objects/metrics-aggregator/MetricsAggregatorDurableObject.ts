import { DurableObject } from "cloudflare:workers";
import { MetricsFlushSchema, type MetricsSnapshot } from "../../shared/schemas/metrics.ts";
import { describeZodError } from "../../shared/zod-issues.ts";
import { AggregatorStorage } from "./aggregator-storage.ts";
import { MetricTotals } from "./metric-totals.ts";

/**
 * One shard of the deployment's metrics (shared/metrics/shards.ts): isolates of every Worker flush
 * their deltas here (RPC `ingest`), and the gateway's `GET /metrics` reads every shard's totals
 * (RPC `snapshot`). The rules are in metric-totals.ts; this class only hosts them.
 */
export class MetricsAggregatorDurableObject extends DurableObject<MetricsWorkerEnv> {
  private readonly totals: MetricTotals;

  constructor(ctx: DurableObjectState, env: MetricsWorkerEnv) {
    super(ctx, env);
    // Synchronous SQLite: the totals are in memory before the object takes its first call.
    this.totals = new MetricTotals(new AggregatorStorage(ctx.storage));
  }

  /** An isolate's deltas since its previous flush; applied once, however often it is sent. */
  ingest(raw: unknown): { applied: boolean } {
    const flush = MetricsFlushSchema.safeParse(raw);
    // Only the isolates' flusher calls this; a bad flush is a bug there, reported to it by name.
    if (!flush.success) throw new Error(`not a metrics flush: ${describeZodError(flush.error)}`);
    return this.totals.apply(flush.data);
  }

  snapshot(): MetricsSnapshot {
    return this.totals.snapshot();
  }
}
