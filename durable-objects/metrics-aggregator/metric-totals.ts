import type { MetricSeries, MetricsFlush, MetricsSnapshot } from "../../shared/schemas/metrics.ts";
import { labelNames, metricDefinition, type CounterName, type LabelsOf } from "../../shared/metrics/catalogue.ts";
import { OTHER } from "../../shared/metrics/label-domains.ts";
import { addSeries, checkSeries, cloneSeries, orderedLabels, seriesKey, zeroLike } from "../../shared/metrics/series.ts";
import type { AggregatorStorage, SourceMark } from "./aggregator-storage.ts";

/** An isolate not heard from for this long is forgotten; flush.ts never resends a flush this late. */
export const FORGET_SOURCE_AFTER_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;
/**
 * Defence in depth: recorders already fold label values into bounded sets, so no metric comes near
 * this. A new series beyond it is added to the metric's all-`other` series instead.
 */
export const MAX_SERIES_PER_METRIC = 10_000;

/** A flush's changed totals by series key, and how many series it adds per metric. */
class Changes extends Map<string, MetricSeries> {
  readonly newSeries = new Map<string, number>();
}

/**
 * One shard's totals, in memory and in SQLite. A flush is applied whole or not at all, and only if
 * its seq is above the last one applied for its isolate: a resent flush changes nothing.
 */
export class MetricTotals {
  private readonly totals: Map<string, MetricSeries>;
  private readonly sources: Map<string, SourceMark>;
  private readonly seriesPerMetric = new Map<string, number>();
  private lastPrune = 0;

  constructor(
    private readonly storage: AggregatorStorage,
    private readonly now: () => number = Date.now,
  ) {
    const state = storage.load((series) => seriesKey(series.metric, series.labels));
    this.totals = state.series;
    this.sources = state.sources;
    for (const series of this.totals.values()) this.seriesPerMetric.set(series.metric, (this.seriesPerMetric.get(series.metric) ?? 0) + 1);
  }

  apply(flush: MetricsFlush): { applied: boolean } {
    const last = this.sources.get(flush.source)?.seq;
    const changed = new Changes();
    const count = <N extends CounterName>(name: N, labels: LabelsOf<N>, by = 1): void => {
      this.add(changed, { metric: name, labels: orderedLabels(name, labels), value: by });
    };
    if (last !== undefined && flush.seq <= last) {
      count("stratus_metrics_flushes_total", { result: "duplicate" });
      this.commit(changed);
      return { applied: false };
    }
    for (const series of flush.series) {
      const problem = checkSeries(series);
      if (problem === "ok") this.add(changed, series);
      else count("stratus_metrics_series_dropped_total", { reason: problem });
    }
    count("stratus_metrics_flushes_total", { result: "applied" });
    this.commit(changed, { source: flush.source, seq: flush.seq });
    return { applied: true };
  }

  snapshot(): MetricsSnapshot {
    return { series: [...this.totals.values()] };
  }

  /** Adds a delta to the pending change of its series (a copy of the stored total). */
  private add(changed: Changes, delta: MetricSeries): void {
    let key = seriesKey(delta.metric, delta.labels);
    const isNew = !this.totals.has(key) && !changed.has(key);
    if (isNew && (this.seriesPerMetric.get(delta.metric) ?? 0) + (changed.newSeries.get(delta.metric) ?? 0) >= MAX_SERIES_PER_METRIC) {
      const definition = metricDefinition(delta.metric);
      const labels = definition ? labelNames(definition).map(() => OTHER) : [];
      delta = { ...cloneSeries(delta), labels };
      key = seriesKey(delta.metric, labels);
    }
    const pending = changed.get(key);
    if (pending) {
      addSeries(pending, delta);
      return;
    }
    const stored = this.totals.get(key);
    if (!stored) changed.newSeries.set(delta.metric, (changed.newSeries.get(delta.metric) ?? 0) + 1);
    const total = stored ? cloneSeries(stored) : zeroLike(delta);
    addSeries(total, delta);
    changed.set(key, total);
  }

  /**
   * Writes the shard's state with the changed totals (and the isolate's seq) in one transaction,
   * then takes them into memory: if the write fails, memory still holds what storage holds.
   */
  private commit(changed: Map<string, MetricSeries>, applied?: { source: string; seq: number }): void {
    const now = this.now();
    const prune = now - this.lastPrune > PRUNE_EVERY_MS;
    const series = new Map(this.totals);
    for (const [key, total] of changed) series.set(key, total);
    const sources = new Map(this.sources);
    if (applied) sources.set(applied.source, { seq: applied.seq, seenAt: now });
    if (prune) {
      for (const [source, mark] of sources) if (mark.seenAt < now - FORGET_SOURCE_AFTER_MS) sources.delete(source);
    }
    this.storage.save({ series, sources });
    for (const [key, total] of changed) {
      if (!this.totals.has(key)) this.seriesPerMetric.set(total.metric, (this.seriesPerMetric.get(total.metric) ?? 0) + 1);
      this.totals.set(key, total);
    }
    if (applied) this.sources.set(applied.source, { seq: applied.seq, seenAt: now });
    if (prune) {
      this.lastPrune = now;
      for (const source of this.sources.keys()) if (!sources.has(source)) this.sources.delete(source);
    }
  }
}
