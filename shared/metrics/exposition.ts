/**
 * The Prometheus text exposition format (version 0.0.4) for the aggregated series: what
 * `GET /metrics` answers. A small typed writer rather than prom-client: the figures come from the
 * aggregator as finished totals (prom-client's registry wants live observations, and its histograms
 * cannot be set from bucket counts), and prom-client would add ~33 KiB gzipped and `nodejs_compat`
 * to the gateway. `promtool check metrics` checks this output in the tests.
 *
 * Every series whose labels can all be listed (bot × its intents × locales, route × its methods ×
 * the expected statuses …) is written, at 0 if nothing was counted yet: Prometheus's `rate()` and
 * `increase()` only see an increase from a sample it already has, so a series that first appeared
 * at 1 would hide the first event (the first 5xx, the first dead letter).
 */
import type { MetricSeries } from "../schemas/metrics.ts";
import { METRIC_NAMES, METRICS, labelNames, type MetricDefinition } from "./catalogue.ts";
import { enumerateLabel, type LabelBounds } from "./label-domains.ts";
import { isHistogram, seriesKey } from "./series.ts";

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Zero series written per metric at most: beyond that, series appear as they are counted. */
const MAX_ZERO_SERIES = 2_000;

export function writeExposition(series: readonly MetricSeries[], bounds: LabelBounds): string {
  const byMetric = new Map<string, Map<string, MetricSeries>>();
  for (const one of series) {
    const forMetric = byMetric.get(one.metric) ?? new Map<string, MetricSeries>();
    forMetric.set(seriesKey(one.metric, one.labels), one);
    byMetric.set(one.metric, forMetric);
  }
  const lines: string[] = [];
  for (const name of METRIC_NAMES) {
    const definition: MetricDefinition = METRICS[name];
    const present = byMetric.get(name) ?? new Map<string, MetricSeries>();
    for (const labels of zeroSeriesLabels(definition, bounds)) {
      const key = seriesKey(name, labels);
      if (!present.has(key)) present.set(key, zeroSeries(name, definition, labels));
    }
    lines.push(`# HELP ${name} ${escapeHelp(definition.help)}`, `# TYPE ${name} ${definition.type}`);
    const names = labelNames(definition);
    const sorted = [...present.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    for (const one of sorted) {
      if (isHistogram(one)) {
        if (definition.type !== "histogram") continue;
        let cumulative = 0;
        definition.buckets.forEach((bound, index) => {
          cumulative += one.buckets[index] ?? 0;
          lines.push(`${name}_bucket${labelSet(names, one.labels, ["le", formatNumber(bound)])} ${cumulative}`);
        });
        lines.push(`${name}_bucket${labelSet(names, one.labels, ["le", "+Inf"])} ${one.count}`);
        lines.push(`${name}_sum${labelSet(names, one.labels)} ${formatNumber(one.sum)}`);
        lines.push(`${name}_count${labelSet(names, one.labels)} ${one.count}`);
      } else {
        // Gauges count things open: deltas from two isolates may cross on their way, never below 0.
        const value = definition.type === "gauge" ? Math.max(0, one.value) : one.value;
        lines.push(`${name}${labelSet(names, one.labels)} ${formatNumber(value)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Every label combination of the metric when each label's values can be listed, else none. */
function zeroSeriesLabels(definition: MetricDefinition, bounds: LabelBounds): string[][] {
  const names = labelNames(definition);
  let combinations: Record<string, string>[] = [{}];
  for (const name of names) {
    const next: Record<string, string>[] = [];
    for (const partial of combinations) {
      const values = enumerateLabel(definition.labels[name]!, partial, bounds);
      if (values === undefined) return [];
      for (const value of values) next.push({ ...partial, [name]: value });
      if (next.length > MAX_ZERO_SERIES) return [];
    }
    combinations = next;
  }
  return combinations.map((labels) => names.map((name) => labels[name] ?? ""));
}

function zeroSeries(metric: string, definition: MetricDefinition, labels: string[]): MetricSeries {
  return definition.type === "histogram"
    ? { metric, labels, buckets: new Array<number>(definition.buckets.length + 1).fill(0), sum: 0, count: 0 }
    : { metric, labels, value: 0 };
}

function labelSet(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const pairs = names.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? "")}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

function compareLabels(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const left = a[index] ?? "";
    const right = b[index] ?? "";
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

const escapeLabelValue = (value: string): string => value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
const escapeHelp = (help: string): string => help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
