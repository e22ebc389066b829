import type { z } from "zod";
import type { AnalyticsFigures, AnalyticsRange, RollupFigures, SummaryPartSchema, VersionFigures, VersionRollupFigures } from "../../shared/schemas/index.ts";
import { LATENCY_RELATIVE_ERROR, percentiles } from "./latency-histogram.ts";
import { addFigures, addVersionFigures, emptyFigures, emptyVersionFigures } from "./rollup.ts";

type Totals = AnalyticsFigures["totals"];

/** A shard's sums over a range, as it sends them to be merged (RangeSummary.export / merge). */
export type SummaryPart = z.infer<typeof SummaryPartSchema>;
type Point = AnalyticsFigures["series"][number];

/**
 * Sums per-minute rows into a range's totals and a series of `intervalMinutes` points. Memory is
 * bounded by the number of points (at most MAX_SERIES_POINTS, checked by the query's schema), not
 * by the rows: each row is added and dropped.
 */
export class RangeSummary {
  private readonly total = emptyFigures();
  private readonly points: RollupFigures[];
  /** The range's figures per bot version (docs/bot-versions.md), by version number. */
  private readonly byVersion = new Map<number, VersionRollupFigures>();
  private rows = 0;

  constructor(private readonly range: AnalyticsRange) {
    const count = Math.ceil((range.toMinute - range.fromMinute) / range.intervalMinutes);
    this.points = Array.from({ length: count }, emptyFigures);
  }

  add(minute: number, figures: RollupFigures): void {
    const point = this.points[Math.floor((minute - this.range.fromMinute) / this.range.intervalMinutes)];
    if (!point) return;
    addFigures(point, figures);
    addFigures(this.total, figures);
    this.rows++;
  }

  /** One row of the range's figures of a bot version. */
  addVersion(version: number, figures: VersionRollupFigures): void {
    const into = this.byVersion.get(version) ?? emptyVersionFigures();
    addVersionFigures(into, figures);
    this.byVersion.set(version, into);
  }

  /** Each version's figures over the range, newest version first: fallback rate, containment and handoffs side by side. */
  versions(): VersionFigures[] {
    return [...this.byVersion]
      .sort(([a], [b]) => b - a)
      .map(([version, f]) => ({
        version,
        conversations: f.conversations,
        handedOffConversations: f.handedOffConversations,
        containmentRate: rate(f.conversations - f.handedOffConversations, f.conversations),
        turns: { total: f.turns, bot: f.turnsBot },
        fallbacks: f.botFallbacks,
        fallbackRate: rate(f.botFallbacks, f.turnsBot),
        outOfScopeRate: rate(f.outOfScope, f.turnsBot),
        handoffs: { total: f.handoffsBot + f.handoffsOperator, bot: f.handoffsBot, operator: f.handoffsOperator },
      }));
  }

  get rowsRead(): number {
    return this.rows;
  }

  /** What this summary has added up, for another summary of the same range to merge (one per shard). */
  export(): SummaryPart {
    return { total: this.total, points: this.points, rows: this.rows, versions: Object.fromEntries(this.byVersion) };
  }

  /** Adds another shard's part of the same range: every figure is a sum, histograms bucket by bucket, so the merge is exact. */
  merge(part: SummaryPart): void {
    addFigures(this.total, part.total);
    part.points.forEach((point, i) => {
      const into = this.points[i];
      if (into) addFigures(into, point);
    });
    this.rows += part.rows;
    for (const [version, figures] of Object.entries(part.versions)) this.addVersion(Number(version), figures);
  }

  totals(): Totals {
    const t = this.total;
    const [p50Ms, p90Ms, p95Ms, p99Ms] = percentiles(t.latency, [0.5, 0.9, 0.95, 0.99] as const);
    const intentCount = Object.values(t.intents).reduce((sum, count) => sum + count, 0);
    return {
      conversations: t.conversations,
      handedOffConversations: t.handedOffConversations,
      containmentRate: rate(t.conversations - t.handedOffConversations, t.conversations),
      messages: { user: t.userMessages, bot: t.botMessages, agent: t.agentMessages },
      turns: { total: t.turns, bot: t.turnsBot, pipelineFallback: t.turnsPipelineFallback, held: t.turnsHeld },
      fallbacks: t.botFallbacks,
      fallbackRate: rate(t.botFallbacks, t.turnsBot),
      outOfScope: t.outOfScope,
      outOfScopeRate: rate(t.outOfScope, t.turnsBot),
      handoffs: { total: t.handoffsBot + t.handoffsOperator, bot: t.handoffsBot, operator: t.handoffsOperator },
      actions: {
        calls: t.actionCalls,
        failures: t.actionFailures,
        failureRate: rate(t.actionFailures, t.actionCalls),
        byAction: Object.entries(t.actions)
          .map(([action, [calls, failures]]) => ({ action, calls, failures }))
          .sort((a, b) => b.calls - a.calls || a.action.localeCompare(b.action)),
      },
      intents: Object.entries(t.intents)
        .map(([intent, count]) => ({ intent, count, share: count / intentCount }))
        .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent)),
      latency: { count: t.turns, p50Ms, p90Ms, p95Ms, p99Ms, relativeError: LATENCY_RELATIVE_ERROR },
      recommendations: {
        shown: t.recommendationsShown,
        clicked: t.recommendationsClicked,
        clickThroughRate: rate(t.recommendationsClicked, t.recommendationsShown),
      },
    };
  }

  series(): Point[] {
    return this.points.map((p, i) => {
      const [p50Ms, p95Ms] = percentiles(p.latency, [0.5, 0.95] as const);
      return {
        start: new Date((this.range.fromMinute + i * this.range.intervalMinutes) * 60_000).toISOString(),
        conversations: p.conversations,
        turns: p.turns,
        fallbacks: p.botFallbacks,
        outOfScope: p.outOfScope,
        handoffs: p.handoffsBot + p.handoffsOperator,
        actionFailures: p.actionFailures,
        p50Ms,
        p95Ms,
      };
    });
  }

  /** The unrecognised turns of the range (their text, if kept, is read separately). */
  get unrecognised(): number {
    return this.total.unrecognised;
  }
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.max(0, Math.min(1, part / whole));
}
