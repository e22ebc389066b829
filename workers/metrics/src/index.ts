/**
 * The metrics Worker: hosts the aggregating Durable Object's shards. It serves no traffic of its
 * own (`GET /metrics` is the gateway's); the other Workers bind to its Durable Object class, and
 * it depends on none of them, so it deploys first.
 */
export { MetricsAggregatorDurableObject } from "../../../durable-objects/metrics-aggregator/MetricsAggregatorDurableObject.ts";

export default {
  fetch: () => Response.json({ error: { code: "not_found", message: "not found" } }, { status: 404 }),
} satisfies ExportedHandler<MetricsWorkerEnv>;
