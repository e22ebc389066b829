/**
 * Where isolates flush: one of METRICS_SHARDS aggregating Durable Objects, chosen by the isolate's
 * id, so an isolate always flushes to the same shard (which is what lets that shard recognise a
 * resent flush). A scrape reads every shard and adds them up.
 *
 * Sizing (docs/metrics.md): each isolate flushes at most once per flush interval (1 s), so a
 * shard's load is the number of isolates mapped to it, not the message rate. At 100,000 messages/s
 * we estimate a few thousand busy isolates across the three Workers and the conversation objects;
 * a shard applies a typical flush in well under a millisecond, and we plan for 500 flushes/s per
 * shard to stay far below a Durable Object's ~1,000 requests/s. 8 shards take ~4,000 flushes/s.
 * Raising the count re-maps isolates: do it only upwards (a scrape reads shards 0…N−1), in one
 * deploy of every Worker.
 */
import type { MetricsFlush, MetricsSnapshot } from "../schemas/metrics.ts";

export const METRICS_SHARDS = 8;

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
  let hash = 0x811c9dc5;
  for (let index = 0; index < source.length; index++) {
    hash ^= source.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % METRICS_SHARDS;
}

export function shardStub(namespace: MetricsAggregatorNamespace, index: number): ReturnType<MetricsAggregatorNamespace["get"]> {
  return namespace.get(namespace.idFromName(shardName(index)));
}
