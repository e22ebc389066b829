// One bot's analytics object on real Durable Object SQLite in workerd: reports counted once however
// often they come, the figures of a range, latency percentiles within their stated error, a day read
// as 1,440 rows, kept text only for a bot that opts in, and retention by the alarm with a moved clock.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AnalyticsRange, AnalyticsReport, TurnReport } from "../../../shared/schemas/index.ts";
import { LATENCY_RELATIVE_ERROR } from "../latency-histogram.ts";

afterEach(() => {
  vi.useRealTimers();
});

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A fixed day, so that minutes and hours are known: 2026-11-02T00:00Z. */
const DAY_START = Date.UTC(2026, 10, 2);

/** A fresh analytics object (its own name, so tests do not share rows). */
function analyticsObject() {
  return env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName(`test-${crypto.randomUUID()}`));
}

/**
 * The object dedupes by queue message (its id is the key); here each report travels as a message of
 * its own, keyed by what the report is about, so a report delivered again is a message delivered again.
 */
function record(analytics: ReturnType<typeof analyticsObject>, bot: string, reports: AnalyticsReport[]) {
  const keyOf = ({ conversationId, fact }: AnalyticsReport) => `${conversationId}:${fact.kind}:${"seq" in fact ? fact.seq : fact.kind === "user_conversation" ? fact.userKey : fact.ordinal}`;
  return analytics.record(bot, reports.map((report) => ({ key: keyOf(report), reports: [report] })));
}

/** A closed turn's report; `intent: null` for a turn with no NLU result (held, pipeline fallback). */
function turn(
  conversationId: string,
  seq: number,
  at: number,
  { intent = "greet", ...fields }: Partial<Omit<TurnReport, "intent">> & { intent?: string | null } = {},
  bot = "ecommerce",
): AnalyticsReport {
  return {
    v: 1,
    bot,
    conversationId,
    fact: {
      kind: "turn",
      seq,
      at,
      locale: "en",
      outcome: "bot",
      startsConversation: seq === 1,
      startsHandedOff: false,
      latencyMs: 40,
      botReplies: 1,
      botFallback: false,
      handoff: false,
      actions: [],
      ...(intent === null ? {} : { intent }),
      ...fields,
    },
  };
}

const wholeDay = (fields: Partial<AnalyticsRange> = {}): AnalyticsRange => ({
  locale: null,
  fromMinute: DAY_START / MINUTE,
  toMinute: (DAY_START + DAY) / MINUTE,
  intervalMinutes: 60,
  ...fields,
});

describe("counting reports", () => {
  it("counts a report once however often the queue delivers it", async () => {
    const analytics = analyticsObject();
    const batch = [turn("c1", 1, DAY_START + MINUTE), turn("c1", 2, DAY_START + 2 * MINUTE)];
    expect(await record(analytics, "ecommerce", batch)).toEqual({ counted: 2, duplicates: 0, refused: 0 });
    // The same batch again (an ack lost), and one report of it within a new batch.
    expect(await record(analytics, "ecommerce", batch)).toEqual({ counted: 0, duplicates: 2, refused: 0 });
    const second = batch[1]!;
    expect(await record(analytics, "ecommerce", [second, turn("c1", 3, DAY_START + 3 * MINUTE)])).toEqual({ counted: 1, duplicates: 1, refused: 0 });
    const { totals } = await analytics.query("ecommerce", wholeDay());
    expect(totals.turns.total).toBe(3);
    expect(totals.conversations).toBe(1);
  });

  it("sums conversations, containment, fallbacks, out of scope, handoffs and action failures", async () => {
    const analytics = analyticsObject();
    const t = DAY_START + 10 * MINUTE;
    const reports: AnalyticsReport[] = [
      // c1: contained: an intent, an action that works, then one that fails.
      turn("c1", 1, t, { intent: "order_status", actions: [{ action: "lookup_order", failed: false }] }),
      turn("c1", 3, t + 1000, { intent: "order_status", actions: [{ action: "lookup_order", failed: true }] }),
      // c2: out of scope, then the bot's fallback, then the bot hands off.
      turn("c2", 1, t, { intent: "out_of_scope", botFallback: true }),
      turn("c2", 3, t + 2000, { intent: "human_handoff", handoff: true }),
      { v: 1, bot: "ecommerce", conversationId: "c2", fact: { kind: "handoff", ordinal: 1, at: t + 2000, locale: "en", by: "bot", cohort: { minute: t / MINUTE, locale: "en" } } },
      // c3 (zh): an operator takes it an hour later; an agent writes; the next message is held.
      turn("c3", 1, t, { locale: "zh", intent: "greet" }),
      { v: 1, bot: "ecommerce", conversationId: "c3", fact: { kind: "handoff", ordinal: 1, at: t + 3_600_000, locale: "zh", by: "operator", cohort: { minute: t / MINUTE, locale: "zh" } } },
      { v: 1, bot: "ecommerce", conversationId: "c3", fact: { kind: "agent_message", seq: 3, at: t + 3_600_000, locale: "zh" } },
      turn("c3", 4, t + 3_700_000, { locale: "zh", outcome: "held", botReplies: 0, intent: null }),
      // c4: the pipeline could not answer.
      turn("c4", 1, t, { outcome: "fallback", intent: null }),
    ];
    await record(analytics, "ecommerce", reports);
    const { totals, series } = await analytics.query("ecommerce", wholeDay());
    expect(totals.conversations).toBe(4);
    expect(totals.handedOffConversations).toBe(2);
    expect(totals.containmentRate).toBe(0.5);
    expect(totals.turns).toEqual({ total: 7, bot: 5, pipelineFallback: 1, held: 1 });
    expect(totals.messages).toEqual({ user: 7, bot: 6, agent: 1 });
    expect(totals.fallbacks).toBe(1);
    expect(totals.fallbackRate).toBe(1 / 5);
    expect(totals.outOfScope).toBe(1);
    expect(totals.outOfScopeRate).toBe(1 / 5);
    expect(totals.handoffs).toEqual({ total: 2, bot: 1, operator: 1 });
    expect(totals.actions).toEqual({ calls: 2, failures: 1, failureRate: 0.5, byAction: [{ action: "lookup_order", calls: 2, failures: 1 }] });
    expect(totals.intents.map(({ intent, count }) => [intent, count])).toEqual([
      ["order_status", 2],
      ["greet", 1],
      ["human_handoff", 1],
      ["out_of_scope", 1],
    ]);
    // Per hour: the operator's handoff is in the hour it happened; the conversation stays counted where it started.
    expect(series.filter((p) => p.handoffs > 0).map((p) => [p.start, p.handoffs])).toEqual([
      ["2026-11-02T00:00:00.000Z", 1],
      ["2026-11-02T01:00:00.000Z", 1],
    ]);
    const zh = await analytics.query("ecommerce", wholeDay({ locale: "zh" }));
    expect([zh.totals.conversations, zh.totals.containmentRate, zh.totals.turns.total]).toEqual([1, 0, 2]);
  });

  it("refuses reports for another bot than its own", async () => {
    const analytics = analyticsObject();
    await record(analytics, "ecommerce", [turn("c1", 1, DAY_START)]);
    expect(await record(analytics, "ecommerce", [turn("c1", 2, DAY_START, {}, "health")])).toEqual({ counted: 0, duplicates: 0, refused: 1 });
    expect(await record(analytics, "health", [turn("c2", 1, DAY_START, {}, "health")])).toEqual({ counted: 0, duplicates: 0, refused: 1 });
    expect((await analytics.query("ecommerce", wholeDay())).totals.turns.total).toBe(1);
  });
});

describe("reading a range", () => {
  it("reads a day of traffic as 1,440 rows, whatever the number of turns", async () => {
    const analytics = analyticsObject();
    // Three turns in every minute of the day: 4,320 reports, 1,440 minutes.
    const reports = Array.from({ length: 1440 * 3 }, (_, i) => turn(`c${Math.floor(i / 3)}`, (i % 3) + 1, DAY_START + Math.floor(i / 3) * MINUTE));
    for (let i = 0; i < reports.length; i += 100) await record(analytics, "ecommerce", reports.slice(i, i + 100));
    const figures = await analytics.query("ecommerce", wholeDay());
    expect(figures.rowsRead).toBe(1440);
    expect(figures.totals.turns.total).toBe(4320);
    expect(figures.totals.conversations).toBe(1440);
    expect(figures.series).toHaveLength(24);
    expect(figures.series.every((point) => point.turns === 180)).toBe(true);
    // An hour of it: 60 rows.
    const hour = await analytics.query("ecommerce", wholeDay({ fromMinute: DAY_START / MINUTE + 60, toMinute: DAY_START / MINUTE + 120, intervalMinutes: 5 }));
    expect([hour.rowsRead, hour.totals.turns.total, hour.series.length]).toEqual([60, 180, 12]);
  });

  it("gives latency percentiles within the stated relative error", async () => {
    const analytics = analyticsObject();
    // Latencies 1, 2, … 2000 ms, spread over ten minutes.
    const latencies = Array.from({ length: 2000 }, (_, i) => i + 1);
    const reports = latencies.map((ms, i) => turn("c", i + 1, DAY_START + (i % 10) * MINUTE, { latencyMs: ms }));
    for (let i = 0; i < reports.length; i += 100) await record(analytics, "ecommerce", reports.slice(i, i + 100));
    const { latency } = (await analytics.query("ecommerce", wholeDay())).totals;
    expect(latency.count).toBe(2000);
    expect(latency.relativeError).toBeCloseTo(0.0864, 3);
    for (const [reported, exact] of [
      [latency.p50Ms, 1000],
      [latency.p90Ms, 1800],
      [latency.p95Ms, 1900],
      [latency.p99Ms, 1980],
    ] as const) {
      expect(reported).not.toBeNull();
      expect(Math.abs((reported ?? 0) - exact) / exact).toBeLessThanOrEqual(LATENCY_RELATIVE_ERROR + 0.001);
    }
  });
});

describe("unrecognised text", () => {
  const unrecognised = (conversationId: string, seq: number, at: number, text: string, bot: string): AnalyticsReport =>
    turn(conversationId, seq, at, { intent: "out_of_scope", text }, bot);

  it("keeps the most frequent texts for a bot that opts in", async () => {
    const analytics = analyticsObject();
    const t = DAY_START + 30 * MINUTE;
    await record(analytics, "ecommerce", [
      unrecognised("c1", 1, t, "do you sell bikes", "ecommerce"),
      unrecognised("c2", 1, t + MINUTE, "do you sell bikes", "ecommerce"),
      unrecognised("c3", 1, t + 2 * MINUTE, "what is the meaning of life", "ecommerce"),
    ]);
    const { unrecognised: summary } = await analytics.query("ecommerce", wholeDay());
    expect(summary.count).toBe(3);
    expect(summary.textKept).toBe(true);
    expect(summary.textRetentionDays).toBe(30);
    expect(summary.top.map(({ text, count }) => [text, count])).toEqual([
      ["do you sell bikes", 2],
      ["what is the meaning of life", 1],
    ]);
  });

  it("keeps no text for a bot that does not opt in, even if a report carries some", async () => {
    const analytics = analyticsObject();
    await record(analytics, "health", [unrecognised("c1", 1, DAY_START, "my rash is spreading", "health")]);
    const { unrecognised: summary } = await analytics.query("health", wholeDay());
    expect(summary).toMatchObject({ count: 1, textKept: false, top: [] });
    const stored = await runInDurableObject(analytics, (_instance, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM unrecognised_texts").one());
    expect(stored.n).toBe(0);
  });
});

describe("retention", () => {
  it("forgets kept text after 30 days and rollups after 35, at the hourly alarm", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: DAY_START });
    const analytics = analyticsObject();
    await record(analytics, "ecommerce", [turn("c1", 1, DAY_START, { intent: "out_of_scope", text: "do you sell bikes" })]);
    const count = () =>
      runInDurableObject(analytics, (_instance, state) => ({
        rollups: state.storage.sql.exec("SELECT COUNT(*) AS n FROM minute_rollups").one().n,
        texts: state.storage.sql.exec("SELECT COUNT(*) AS n FROM unrecognised_texts").one().n,
      }));
    vi.setSystemTime(DAY_START + 29 * DAY);
    expect(await runDurableObjectAlarm(analytics)).toBe(true);
    expect(await count()).toEqual({ rollups: 1, texts: 1 });
    vi.setSystemTime(DAY_START + 31 * DAY);
    expect(await runDurableObjectAlarm(analytics)).toBe(true);
    expect(await count()).toEqual({ rollups: 1, texts: 0 });
    vi.setSystemTime(DAY_START + 36 * DAY);
    expect(await runDurableObjectAlarm(analytics)).toBe(true);
    expect(await count()).toEqual({ rollups: 0, texts: 0 });
  });
});
