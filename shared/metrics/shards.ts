/**
 * Where isolates flush: one of METRICS_SHARDS aggregating Durable Objects, chosen by the isolate's
 * id, so an isolate always flushes to the same shard (which is what lets that shard recognise a
 * resent flush). A scrape reads every shard and adds them up.
 *
 * Sizing (docs/metrics.md): a shard's load is flushes, not messages. A request-serving isolate
 * (gateway, conversation objects) flushes at most once per flush interval (1 s); a queue consumer
 * flushes once per batch (up to 50 messages). At 100,000 messages/s that is roughly 2 × 2,000
 * consumer batches/s plus a few thousand busy isolates' once-a-second flushes: ~6,000 flushes/s.
 * `npm run bench:metrics` measured one shard at ~300 flushes/s of 40 series on the shared 2-core
 * development machine under load (a local figure, to be re-taken on a quiet machine and on
 * Cloudflare). At that rate 24 shards take ~7,200 flushes/s. A scrape reads all 24 in parallel.
 * Raising the count re-maps isolates: do it only upwards (a scrape reads shards 0…N−1), in one
 * deploy of every Worker.
 */
import { hashString } from "../hash.ts";
import type { MetricsFlush, MetricsSnapshot } from "../schemas/metrics.ts";

export const METRICS_SHARDS = 24;

/** The aggregator binding as the flushing Workers and the gateway use it. */
export interface MetricsAggregatorNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): {
    ingest(flush: MetricsFlush): Promise<{ applied: boolean }>;
    snapshot(): Promise<MetricsSnapshot>;
  };
}

export const shardName = (index: number): string => `metrics-shard-${index}`;

/** The shard an isolate flushes to: FNV-1a of its id. */
export function shardOf(source: string): number {
  return hashString(source) % METRICS_SHARDS;
}

export function shardStub(namespace: MetricsAggregatorNamespace, index: number): ReturnType<MetricsAggregatorNamespace["get"]> {
  return namespace.get(namespace.idFromName(shardName(index)));
}
