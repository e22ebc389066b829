import { createRoute, z } from "@hono/zod-openapi";
import { EXPOSITION_CONTENT_TYPE, writeExposition } from "../../../../shared/metrics/exposition.ts";
import { deploymentLabelBounds } from "../../../../shared/metrics/isolate.ts";
import { sumSeries } from "../../../../shared/metrics/series.ts";
import { METRICS_SHARDS, shardStub } from "../../../../shared/metrics/shards.ts";
import { NoQuerySchema } from "../../../../shared/schemas/index.ts";
import { MetricsSnapshotSchema } from "../../../../shared/schemas/metrics.ts";
import { requireMetricsToken } from "../auth/require-metrics-token.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const scrape = createRoute({
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  summary: "Prometheus metrics of the whole deployment (every Worker's isolates, aggregated)",
  description: "Prometheus text exposition format 0.0.4. Authorized by the METRICS_TOKEN secret.",
  security: [{ metricsToken: [] }],
  middleware: [requireMetricsToken] as const,
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "Every metric of the catalogue (shared/metrics/catalogue.ts)", content: { "text/plain": { schema: z.string() } } },
    ...errorResponses.pick(401),
  },
});

/**
 * Reads every aggregator shard and adds them up. If a shard cannot be read the scrape fails as a
 * whole (500): a partial answer would look to Prometheus like counters going back.
 */
export const metricsRoutes = newRouter().openapi(scrape, async (c) => {
  const snapshots = await Promise.all(Array.from({ length: METRICS_SHARDS }, (_, shard) => shardStub(c.env.METRICS, shard).snapshot()));
  const series = sumSeries(snapshots.map((snapshot) => MetricsSnapshotSchema.parse(snapshot).series));
  return c.text(writeExposition(series, deploymentLabelBounds), 200, { "Content-Type": EXPOSITION_CONTENT_TYPE });
});
