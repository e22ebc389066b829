/**
 * Series arithmetic shared by the aggregator (adding a flush's deltas to its totals) and the
 * gateway (adding the shards' totals up for a scrape).
 */
import type { HistogramSeries, MetricSeries } from "../schemas/metrics.ts";
import { METRICS, labelNames, metricDefinition, type MetricName } from "./catalogue.ts";

/** One series' identity: the metric and its label values. */
export function seriesKey(metric: string, labels: readonly string[]): string {
  return JSON.stringify([metric, ...labels]);
}

export const isHistogram = (series: MetricSeries): series is HistogramSeries => "buckets" in series;

/**
 * Whether a series fits the catalogue: a metric it defines, one value per label, and for a
 * histogram its bucket layout. During a deploy, isolates of the new and the old version flush
 * side by side; a series of a metric one side does not know is set aside, not guessed at.
 */
export function checkSeries(series: MetricSeries): "ok" | "unknown_metric" | "malformed" {
  const definition = metricDefinition(series.metric);
  if (!definition) return "unknown_metric";
  if (series.labels.length !== labelNames(definition).length) return "malformed";
  if (definition.type === "histogram") {
    return isHistogram(series) && series.buckets.length === definition.buckets.length + 1 ? "ok" : "malformed";
  }
  return isHistogram(series) ? "malformed" : "ok";
}

/** A series of the same metric and labels at zero. */
export function zeroLike(series: MetricSeries): MetricSeries {
  return isHistogram(series)
    ? { metric: series.metric, labels: [...series.labels], buckets: series.buckets.map(() => 0), sum: 0, count: 0 }
    : { metric: series.metric, labels: [...series.labels], value: 0 };
}

/** Label values in the catalogue's order for `metric`, from a record keyed by label name. */
export function orderedLabels(metric: MetricName, labels: Readonly<Record<string, string>>): string[] {
  return labelNames(METRICS[metric]).map((name) => labels[name] ?? "");
}

/** A copy of `series`, to be added to. */
export function cloneSeries(series: MetricSeries): MetricSeries {
  return isHistogram(series)
    ? { metric: series.metric, labels: [...series.labels], buckets: [...series.buckets], sum: series.sum, count: series.count }
    : { metric: series.metric, labels: [...series.labels], value: series.value };
}

/** Adds `delta` into `total` (same metric and labels, both checked by checkSeries). */
export function addSeries(total: MetricSeries, delta: MetricSeries): void {
  if (isHistogram(total) && isHistogram(delta)) {
    delta.buckets.forEach((count, index) => (total.buckets[index] = (total.buckets[index] ?? 0) + count));
    total.sum += delta.sum;
    total.count += delta.count;
  } else if (!isHistogram(total) && !isHistogram(delta)) {
    total.value += delta.value;
  }
}

/** The sum of several lists of series (the shards' snapshots), one series per key. */
export function sumSeries(lists: Iterable<readonly MetricSeries[]>): MetricSeries[] {
  const totals = new Map<string, MetricSeries>();
  for (const list of lists) {
    for (const series of list) {
      const key = seriesKey(series.metric, series.labels);
      const total = totals.get(key);
      if (total) addSeries(total, series);
      else totals.set(key, cloneSeries(series));
    }
  }
  return [...totals.values()];
}
