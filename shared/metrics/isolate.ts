/**
 * This isolate's metrics: one recorder and one flusher per isolate (module state), shared by every
 * request, queue batch and Durable Object the isolate runs. Instrumented code records with
 * `metricsFor(env)` and calls `flushMetricsLater(env, ctx)` (a request, a Durable Object call, a
 * handled queue batch); the deltas reach the aggregator in the background (flush.ts).
 *
 * Settings (platform vars, all optional):
 *   STRATUS_METRICS           "on" (default) or "off": off records nothing and flushes nothing
 *                             (npm run bench:latency compares the two)
 *   STRATUS_METRICS_FLUSH_MS  how long deltas are gathered before a flush, default 1000
 */
import labelValuesJson from "../../generated/metric-labels.json";
import { definePlatformEnv, envParser, positiveIntVar, switchVar } from "../env.ts";
import { MetricLabelValuesSchema, type MetricsFlush } from "../schemas/metrics.ts";
import { MetricsFlusher, type WaitUntil } from "./flush.ts";
import { labelBounds, routeMethods } from "./label-domains.ts";
import { MetricsRecorder, metricsOff, type Metrics } from "./recorder.ts";
import { shardOf, shardStub, type MetricsAggregatorNamespace } from "./shards.ts";

const MetricsConfigSchema = definePlatformEnv({
  STRATUS_METRICS: switchVar("on"),
  STRATUS_METRICS_FLUSH_MS: positiveIntVar(1_000),
});
const metricsConfig = envParser(MetricsConfigSchema);

/** What a Worker's env needs for metrics: the aggregator binding, and the optional settings. */
export interface MetricsEnv {
  METRICS: MetricsAggregatorNamespace;
  STRATUS_METRICS?: string;
  STRATUS_METRICS_FLUSH_MS?: string;
}

/** The values every label may take in this deployment; the gateway adds its route templates. */
export const deploymentLabelBounds = labelBounds(MetricLabelValuesSchema.parse(labelValuesJson).bots);

const recorder = new MetricsRecorder(deploymentLabelBounds);
const flusher = new MetricsFlusher(recorder);

/** Where instrumented code records: this isolate's recorder, or nothing when metrics are off. */
export function metricsFor(env: MetricsEnv): Metrics {
  return metricsConfig(env).STRATUS_METRICS === "on" ? recorder : metricsOff;
}

/**
 * Sends what this isolate recorded (or is about to record) to its aggregator shard after the flush
 * interval, in `ctx.waitUntil`, so no response and no queue batch waits for it: everything the
 * isolate's requests, Durable Object calls and queue batches record in one interval goes in one
 * flush (at most one flush per interval per isolate, however many turns it handles). A queue
 * consumer calls it once its batch is handled: its Workers set `queue_consumer_no_wait_for_wait_until`
 * (wrangler.toml), so the queue reports the batch done when the handler returns, not when the
 * flush has been sent.
 */
export function flushMetricsLater(env: MetricsEnv, ctx: WaitUntil): void {
  const config = metricsConfig(env);
  if (config.STRATUS_METRICS === "on") flusher.schedule(ctx, sendTo(env), config.STRATUS_METRICS_FLUSH_MS);
}

const sendTo =
  (env: MetricsEnv) =>
  async (flush: MetricsFlush): Promise<void> => {
    await shardStub(env.METRICS, shardOf(flush.source)).ingest(flush);
  };

/** The gateway's router: its templates are the only values of the `route` label, with their methods. */
export function allowRouteTemplates(routes: Iterable<{ path: string; method: string }>): void {
  routeMethods(routes, deploymentLabelBounds.routes);
}
