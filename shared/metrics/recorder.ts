/**
 * An isolate's metrics since its last flush: counters and gauges as deltas, histograms as bucket
 * counts. Recording is a map update (no I/O); flush.ts sends the deltas to the aggregating Durable
 * Object off the request's path. Label values are folded into `other` here, at the source, when
 * they are outside their bounded set (label-domains.ts).
 */
import type { HistogramSeries, MetricSeries, ScalarSeries } from "../schemas/metrics.ts";
import {
  METRICS,
  labelNames,
  type CounterName,
  type GaugeName,
  type HistogramName,
  type LabelsOf,
  type MetricDefinition,
} from "./catalogue.ts";
import { foldLabel, type LabelBounds } from "./label-domains.ts";
import { seriesKey } from "./series.ts";

/** What instrumented code calls. `off` (STRATUS_METRICS=off) is the same interface doing nothing. */
export interface Metrics {
  count<N extends CounterName>(name: N, labels: LabelsOf<N>, by?: number): void;
  /** A gauge's change: +1 when something opens, −1 when it closes. */
  adjust<N extends GaugeName>(name: N, labels: LabelsOf<N>, delta: number): void;
  observe<N extends HistogramName>(name: N, labels: LabelsOf<N>, value: number): void;
}

export const metricsOff: Metrics = {
  count: () => undefined,
  adjust: () => undefined,
  observe: () => undefined,
};

export class MetricsRecorder implements Metrics {
  private readonly pending = new Map<string, MetricSeries>();

  constructor(private readonly bounds: LabelBounds) {}

  count<N extends CounterName>(name: N, labels: LabelsOf<N>, by = 1): void {
    // A counter only goes up; anything else is a caller's bug, not a reason to corrupt a total.
    if (!Number.isFinite(by) || by <= 0) return;
    this.scalar(name, labels).value += by;
  }

  adjust<N extends GaugeName>(name: N, labels: LabelsOf<N>, delta: number): void {
    if (!Number.isFinite(delta) || delta === 0) return;
    this.scalar(name, labels).value += delta;
  }

  observe<N extends HistogramName>(name: N, labels: LabelsOf<N>, value: number): void {
    if (!Number.isFinite(value)) return;
    const definition = METRICS[name];
    const values = this.fold(definition, labels);
    const key = seriesKey(name, values);
    let series = this.pending.get(key) as HistogramSeries | undefined;
    if (!series) {
      series = { metric: name, labels: values, buckets: new Array<number>(definition.buckets.length + 1).fill(0), sum: 0, count: 0 };
      this.pending.set(key, series);
    }
    const index = definition.buckets.findIndex((bound) => value <= bound);
    series.buckets[index === -1 ? definition.buckets.length : index]! += 1;
    series.sum += value;
    series.count += 1;
  }

  /** Up to `limit` series recorded since they were last taken; they start again from nothing. */
  take(limit = Infinity): MetricSeries[] {
    const taken: MetricSeries[] = [];
    for (const [key, series] of this.pending) {
      if (taken.length >= limit) break;
      taken.push(series);
      this.pending.delete(key);
    }
    return taken;
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  private scalar(name: CounterName | GaugeName, labels: Readonly<Record<string, string>>): ScalarSeries {
    const values = this.fold(METRICS[name], labels);
    const key = seriesKey(name, values);
    let series = this.pending.get(key) as ScalarSeries | undefined;
    if (!series) {
      series = { metric: name, labels: values, value: 0 };
      this.pending.set(key, series);
    }
    return series;
  }

  /** The label values in catalogue order, each folded into its domain. */
  private fold(definition: MetricDefinition, labels: Readonly<Record<string, string>>): string[] {
    return labelNames(definition).map((label) => foldLabel(definition.labels[label]!, labels[label] ?? "", labels, this.bounds));
  }
}

