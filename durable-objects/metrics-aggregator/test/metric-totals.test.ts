// The aggregating Durable Object in workerd, with its real SQLite storage: what isolates flush is
// counted exactly once, survives the object starting again, and cannot grow without bound.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MetricSeries, MetricsFlush } from "../../../shared/schemas/metrics.ts";
import { LATENCY_BUCKETS } from "../../../shared/metrics/catalogue.ts";
import { AggregatorStorage } from "../aggregator-storage.ts";
import { MAX_SERIES_PER_METRIC, MetricTotals } from "../metric-totals.ts";
import { tablesOf } from "../../test/rows-written.ts";

let shards = 0;
const newShard = () => env.METRICS.get(env.METRICS.idFromName(`test-shard-${++shards}-${Date.now()}`));
const isolate = (n: number) => n.toString(16).padStart(32, "0");

const turns = (value: number, outcome = "answered"): MetricSeries => ({ metric: "stratus_turns_total", labels: ["ecommerce", "en", outcome], value });
const flush = (source: string, seq: number, series: MetricSeries[]): MetricsFlush => ({ v: 1, source, seq, series });

/** The shard's total of one series (undefined if it has none). */
async function total(shard: ReturnType<typeof newShard>, metric: string, labels: string[]): Promise<MetricSeries | undefined> {
  const { series } = await shard.snapshot();
  return series.find((one) => one.metric === metric && JSON.stringify(one.labels) === JSON.stringify(labels));
}

describe("the metrics aggregator", () => {
  it("counts a flush once however often it is sent, and counts the next one", async () => {
    const shard = newShard();
    expect(await shard.ingest(flush(isolate(1), 1, [turns(3)]))).toEqual({ applied: true });
    // The same flush again: its first copy arrived, but the isolate never heard back.
    expect(await shard.ingest(flush(isolate(1), 1, [turns(3)]))).toEqual({ applied: false });
    expect(await shard.ingest(flush(isolate(1), 2, [turns(2)]))).toEqual({ applied: true });
    expect(await total(shard, "stratus_turns_total", ["ecommerce", "en", "answered"])).toMatchObject({ value: 5 });
    expect(await total(shard, "stratus_metrics_flushes_total", ["applied"])).toMatchObject({ value: 2 });
    expect(await total(shard, "stratus_metrics_flushes_total", ["duplicate"])).toMatchObject({ value: 1 });
  });

  it("ignores a late copy of an older flush, and keeps isolates apart", async () => {
    const shard = newShard();
    await shard.ingest(flush(isolate(1), 2, [turns(1)]));
    expect(await shard.ingest(flush(isolate(1), 1, [turns(100)]))).toEqual({ applied: false });
    // Another isolate numbers its own flushes from 1.
    expect(await shard.ingest(flush(isolate(2), 1, [turns(10)]))).toEqual({ applied: true });
    expect(await total(shard, "stratus_turns_total", ["ecommerce", "en", "answered"])).toMatchObject({ value: 11 });
  });

  it("adds histograms bucket by bucket", async () => {
    const shard = newShard();
    const histogram = (bucket: number, sum: number): MetricSeries => {
      const buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
      buckets[bucket] = 1;
      return { metric: "stratus_turn_duration_seconds", labels: ["ecommerce", "answered"], buckets, sum, count: 1 };
    };
    await shard.ingest(flush(isolate(1), 1, [histogram(0, 0.004)]));
    await shard.ingest(flush(isolate(2), 1, [histogram(0, 0.001), histogram(3, 0.04)]));
    const expected = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
    expected[0] = 2;
    expected[3] = 1;
    expect(await total(shard, "stratus_turn_duration_seconds", ["ecommerce", "answered"])).toMatchObject({ buckets: expected, count: 3 });
  });

  it("keeps its totals and every isolate's last flush when the object starts again", async () => {
    const shard = newShard();
    await shard.ingest(flush(isolate(7), 1, [turns(4)]));
    await runInDurableObject(shard, (_, state) => {
      // What the constructor does on the next start: everything comes back from SQLite.
      const restarted = new MetricTotals(new AggregatorStorage(state.storage));
      expect(restarted.apply(flush(isolate(7), 1, [turns(4)]))).toEqual({ applied: false });
      expect(restarted.apply(flush(isolate(7), 2, [turns(1)]))).toEqual({ applied: true });
      expect(restarted.snapshot().series.find((one) => one.metric === "stratus_turns_total")).toMatchObject({ value: 5 });
    });
  });

  it("sets aside series it cannot use (a metric it does not know, a wrong layout) and applies the rest", async () => {
    const shard = newShard();
    const result = await shard.ingest(
      flush(isolate(1), 1, [
        turns(1),
        { metric: "stratus_from_a_newer_deploy_total", labels: [], value: 1 },
        { metric: "stratus_turns_total", labels: ["ecommerce"], value: 1 },
        { metric: "stratus_turns_total", labels: ["ecommerce", "en", "held"], buckets: [1], sum: 1, count: 1 },
      ]),
    );
    expect(result).toEqual({ applied: true });
    const { series } = await shard.snapshot();
    expect(series.filter((one) => one.metric === "stratus_turns_total")).toEqual([turns(1)]);
    expect(await total(shard, "stratus_metrics_series_dropped_total", ["unknown_metric"])).toMatchObject({ value: 1 });
    expect(await total(shard, "stratus_metrics_series_dropped_total", ["malformed"])).toMatchObject({ value: 2 });
  });

  it("refuses a flush that is not one (no isolate id)", async () => {
    const error = await newShard()
      .ingest({ v: 1, seq: 1, series: [turns(1)] })
      .then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
    expect(String(error)).toMatch(/not a metrics flush: source/);
  });

  it(`adds a metric's series beyond ${MAX_SERIES_PER_METRIC} to its all-"other" series`, async () => {
    const shard = newShard();
    const series: MetricSeries[] = Array.from({ length: MAX_SERIES_PER_METRIC + 5 }, (_, index) => ({
      metric: "stratus_http_requests_total",
      labels: [`/route-${index}`, "GET", "200"],
      value: 1,
    }));
    await shard.ingest(flush(isolate(1), 1, series));
    const totals = (await shard.snapshot()).series.filter((one) => one.metric === "stratus_http_requests_total");
    expect(totals).toHaveLength(MAX_SERIES_PER_METRIC + 1);
    expect(totals.find((one) => one.labels.every((label) => label === "other"))).toMatchObject({ value: 5 });
  });

  it("writes one row per flush however many series it changes (Cloudflare bills rows), and reads them back after a restart", async () => {
    const shard = newShard();
    const many: MetricSeries[] = ["answered", "fallback", "held"].flatMap((outcome) => ["en", "zh", "es"].map((locale) => ({ metric: "stratus_turns_total", labels: ["ecommerce", locale, outcome], value: 1 })));
    const rows = await runInDurableObject(shard, (_, state) => {
      const totals = new MetricTotals(new AggregatorStorage(state.storage));
      const exec = state.storage.sql.exec.bind(state.storage.sql);
      const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
      state.storage.sql.exec = ((query: string, ...bindings: SqlStorageValue[]) => {
        const cursor = exec(query, ...bindings);
        cursors.push(cursor);
        return cursor;
      }) as typeof state.storage.sql.exec;
      totals.apply(flush(isolate(3), 1, many));
      state.storage.sql.exec = exec;
      const written = cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
      return { written, restarted: new MetricTotals(new AggregatorStorage(state.storage)).snapshot().series };
    });
    expect(rows.written).toBe(1);
    expect(rows.restarted.filter((one) => one.metric === "stratus_turns_total")).toHaveLength(9);
  });

  it("takes over a shard stored as a row per series and per isolate, once, with its totals and seqs", async () => {
    const shard = newShard();
    const after = await runInDurableObject(shard, (_, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE IF EXISTS state");
      sql.exec("CREATE TABLE series (key TEXT PRIMARY KEY, body TEXT NOT NULL)");
      sql.exec("CREATE TABLE sources (source TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, seen_at INTEGER NOT NULL)");
      sql.exec("INSERT INTO series (key, body) VALUES (?, ?)", "k", JSON.stringify(turns(6)));
      sql.exec("INSERT INTO sources (source, last_seq, seen_at) VALUES (?, ?, ?)", isolate(9), 4, Date.now());
      const totals = new MetricTotals(new AggregatorStorage(state.storage));
      return {
        resent: totals.apply(flush(isolate(9), 4, [turns(6)])),
        next: totals.apply(flush(isolate(9), 5, [turns(1)])),
        turns: totals.snapshot().series.find((one) => one.metric === "stratus_turns_total"),
        tables: tablesOf(sql),
      };
    });
    expect(after).toMatchObject({ resent: { applied: false }, next: { applied: true }, turns: { value: 7 } });
    expect(after.tables.filter((name) => name !== "__miniflare_do_name")).toEqual(["state"]);
  });
});
