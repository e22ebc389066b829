// Per bot version (docs/bot-versions.md), on one bot's analytics object in workerd with real SQLite:
// each report counted under the version its conversation runs on, so the versions' fallback rate,
// containment and handoffs compare side by side over the same range; a shard's sums carry them for
// the gateway to merge.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AnalyticsRange, AnalyticsReport, TurnReport } from "../../../shared/schemas/index.ts";
import { SummaryPartSchema } from "../../../shared/schemas/index.ts";
import { RangeSummary } from "../analytics-summary.ts";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A fixed day, so that minutes are known: 2026-11-02T00:00Z. */
const DAY_START = Date.UTC(2026, 10, 2);
const T = DAY_START + 30 * MINUTE;

const analyticsObject = () => env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName(`test-versions-${crypto.randomUUID()}`));

/** A closed turn's report of a conversation on `version` (undefined: a report of older code, without one). */
function turn(version: number | undefined, conversationId: string, seq: number, at: number, fields: Partial<TurnReport> = {}): AnalyticsReport {
  return {
    v: 1,
    bot: "ecommerce",
    ...(version === undefined ? {} : { botVersion: version }),
    conversationId,
    fact: { kind: "turn", seq, at, locale: "en", outcome: "bot", startsConversation: seq === 1, startsHandedOff: false, latencyMs: 40, botReplies: 1, intent: "greet", botFallback: false, handoff: false, actions: [], ...fields },
  };
}

const wholeDay = (fields: Partial<AnalyticsRange> = {}): AnalyticsRange => ({ locale: null, fromMinute: DAY_START / MINUTE, toMinute: (DAY_START + DAY) / MINUTE, intervalMinutes: 60, ...fields });

/** Version 1 (one report from older code): two conversations, a fallback in four turns, a handoff. Version 2: one contained conversation. */
const reports: AnalyticsReport[] = [
  turn(undefined, "a1", 1, T),
  turn(1, "a1", 3, T + 1000, { intent: "out_of_scope", botFallback: true }),
  turn(1, "a2", 1, T, { locale: "zh" }),
  turn(1, "a2", 3, T + 1000, { locale: "zh", intent: "human_handoff", handoff: true }),
  { v: 1, bot: "ecommerce", botVersion: 1, conversationId: "a2", fact: { kind: "handoff", ordinal: 1, at: T + 1000, locale: "zh", by: "bot", cohort: { minute: T / MINUTE, locale: "zh" } } },
  turn(2, "b1", 1, T + 5 * MINUTE),
  turn(2, "b1", 3, T + 6 * MINUTE, { intent: "order_status" }),
];

const V2 = { version: 2, conversations: 1, handedOffConversations: 0, containmentRate: 1, turns: { total: 2, bot: 2 }, fallbacks: 0, fallbackRate: 0, outOfScopeRate: 0, handoffs: { total: 0, bot: 0, operator: 0 } };
const V1 = { version: 1, conversations: 2, handedOffConversations: 1, containmentRate: 0.5, turns: { total: 4, bot: 4 }, fallbacks: 1, fallbackRate: 0.25, outOfScopeRate: 0.25, handoffs: { total: 1, bot: 1, operator: 0 } };

// The first call starts the gateway Worker in this isolate: seconds on a busy machine.
describe("analytics per bot version", { timeout: 30_000 }, () => {
  it("compares the versions' fallback rate, containment and handoffs over the same range", async () => {
    const analytics = analyticsObject();
    await analytics.record("ecommerce", [{ key: "m1", reports }]);
    const { versions, totals } = await analytics.query("ecommerce", wholeDay());
    expect(versions).toEqual([V2, V1]);
    // The versions add up to the totals, and a locale filter applies to them too.
    expect(versions.reduce((sum, one) => sum + one.conversations, 0)).toBe(totals.conversations);
    const zh = await analytics.query("ecommerce", wholeDay({ locale: "zh" }));
    expect(zh.versions.map(({ version, conversations, handedOffConversations }) => ({ version, conversations, handedOffConversations }))).toEqual([{ version: 1, conversations: 1, handedOffConversations: 1 }]);
    expect((await analytics.query("ecommerce", wholeDay({ toMinute: T / MINUTE }))).versions).toEqual([]);
  });

  it("counts a message delivered again once, per version too", async () => {
    const analytics = analyticsObject();
    await analytics.record("ecommerce", [{ key: "m1", reports }]);
    await analytics.record("ecommerce", [{ key: "m1", reports }]);
    expect((await analytics.query("ecommerce", wholeDay())).versions).toEqual([V2, V1]);
  });

  it("merges the versions of a bot's shards exactly, as the gateway does", async () => {
    const [first, second] = [analyticsObject(), analyticsObject()];
    await first.record("ecommerce", [{ key: "m1", reports: reports.slice(0, 5) }]);
    await second.record("ecommerce", [{ key: "m2", reports: reports.slice(5) }]);
    const merged = new RangeSummary(wholeDay());
    for (const shard of [first, second]) merged.merge(SummaryPartSchema.parse((await shard.summarize("ecommerce", wholeDay())).part));
    expect(merged.versions()).toEqual([V2, V1]);
    // A shard of older code sends no versions: its part still merges.
    merged.merge(SummaryPartSchema.parse({ ...(await first.summarize("ecommerce", wholeDay())).part, versions: undefined }));
    expect(merged.versions()).toEqual([V2, V1]);
  });
});
