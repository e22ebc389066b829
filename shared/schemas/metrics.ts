import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";

/**
 * One series: a metric name and its label values in the catalogue's label order
 * (shared/metrics/catalogue.ts). In a flush it holds an isolate's deltas since its last flush; in
 * a snapshot, the aggregated totals.
 */
const SeriesKeyFields = {
  metric: z.string().min(1).max(200),
  labels: z.array(z.string().max(200)).max(10),
};

/** A counter's increase or a gauge's change. */
export const ScalarSeriesSchema = z.object({ ...SeriesKeyFields, value: z.number().finite() });

/** A histogram: per-bucket counts (not cumulative), the last one for values above every bound. */
export const HistogramSeriesSchema = z.object({
  ...SeriesKeyFields,
  buckets: z.array(z.number().int().nonnegative()).min(1).max(64),
  sum: z.number().finite(),
  count: z.number().int().nonnegative(),
});

export const MetricSeriesSchema = z.union([ScalarSeriesSchema, HistogramSeriesSchema]);
export type ScalarSeries = z.infer<typeof ScalarSeriesSchema>;
export type HistogramSeries = z.infer<typeof HistogramSeriesSchema>;
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;

/**
 * An isolate → aggregator flush. `source` names the isolate (random, for its life) and `seq`
 * counts its flushes: the aggregator applies a flush only if its seq is above the last one it
 * applied for that source, so a retried flush is counted once.
 */
export const MetricsFlushSchema = z.object({
  v: z.literal(1),
  source: z.string().regex(/^[0-9a-f]{32}$/, "not an isolate id"),
  seq: z.number().int().positive(),
  series: z.array(MetricSeriesSchema).min(1).max(20_000),
});
export type MetricsFlush = z.infer<typeof MetricsFlushSchema>;

/** What one aggregator shard holds: the totals of every series flushed to it. */
export const MetricsSnapshotSchema = z.object({ series: z.array(MetricSeriesSchema) });
export type MetricsSnapshot = z.infer<typeof MetricsSnapshotSchema>;

/**
 * generated/metric-labels.json (`npm run build:bots`): the values each bot's labels may take, so
 * that every Worker folds anything else into `other`. Only names the bot files already define.
 */
export const MetricLabelValuesSchema = z.object({
  bots: z.record(
    BotIdSchema,
    z.object({
      locales: z.array(z.string().min(1)),
      intents: z.array(z.string().min(1)),
      actions: z.array(z.string().min(1)),
      forms: z.array(z.string().min(1)),
    }),
  ),
});
export type MetricLabelValues = z.infer<typeof MetricLabelValuesSchema>;
