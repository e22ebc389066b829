import { createRoute } from "@hono/zod-openapi";
import {
  ANALYTICS_INTERVALS,
  AnalyticsQuerySchema,
  AnalyticsResponseSchema,
  MAX_QUERY_DAYS,
  MAX_SERIES_POINTS,
  SummaryPartSchema,
  UserBehaviourPartSchema,
  type AnalyticsInterval,
  type AnalyticsQuery,
  type AnalyticsRange,
} from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { RangeSummary } from "../../../../durable-objects/analytics/analytics-summary.ts";
import { figuresOf, TOP_TEXTS, type KeptText } from "../../../../durable-objects/analytics/analytics-figures.ts";
import { mergeUserBehaviour, userBehaviourRange } from "../../../../durable-objects/analytics/user-behaviour.ts";
import { analyticsShards, botAnalyticsStub } from "../bot-analytics-stub.ts";
import { resolveBot } from "../bot-catalog.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const MINUTE_MS = 60_000;
const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** Without an interval, the smallest one that gives at most this many points. */
const DEFAULT_MAX_POINTS = 360;

const getAnalytics = createRoute({
  method: "get",
  path: "/v1/analytics",
  operationId: "getAnalytics",
  summary: "Operator: a bot's conversations, intents, containment, fallbacks, handoffs, action failures, latency, recommendations and returning users over a range",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { query: AnalyticsQuerySchema },
  responses: {
    200: { description: "Totals and a series over the range", content: { "application/json": { schema: AnalyticsResponseSchema } } },
    ...errorResponses.pick(400, 401),
  },
});

export const analyticsRoutes = newRouter().openapi(getAnalytics, async (c) => {
  const query = c.req.valid("query");
  resolveBot(query.bot, query.locale);
  const { range, interval } = resolveRange(query, Date.now());
  const [figures, users] = await Promise.all([shardedFigures(c.env, query.bot, range), shardedUserBehaviour(c.env, query.bot, range)]);
  c.header("Cache-Control", "no-store");
  return c.json(
    {
      bot: query.bot,
      locale: range.locale,
      from: new Date(range.fromMinute * MINUTE_MS).toISOString(),
      to: new Date(range.toMinute * MINUTE_MS).toISOString(),
      interval,
      generatedAt: new Date().toISOString(),
      ...figures,
      users,
    },
    200,
  );
});

/**
 * The bot's figures over a range from all its analytics shards: each sends its sums, and the sums of
 * sums are the figures (exact: every figure is a count, latency a histogram added bucket by bucket);
 * the most frequent kept texts merge by count (exact for the texts each shard's top list holds).
 */
async function shardedFigures(env: GatewayEnv, bot: string, range: AnalyticsRange) {
  const shards = Array.from({ length: analyticsShards(env) }, (_, shard) => botAnalyticsStub(env, bot, shard).summarize(bot, range));
  const summary = new RangeSummary(range);
  const texts = new Map<string, KeptText>();
  for (const { part, texts: shardTexts } of await Promise.all(shards)) {
    summary.merge(SummaryPartSchema.parse(part));
    for (const text of shardTexts) {
      const known = texts.get(text.text);
      texts.set(text.text, known ? { text: text.text, count: known.count + text.count, lastSeen: known.lastSeen > text.lastSeen ? known.lastSeen : text.lastSeen } : text);
    }
  }
  const top = [...texts.values()].sort((a, b) => b.count - a.count || (a.lastSeen < b.lastSeen ? 1 : -1)).slice(0, TOP_TEXTS);
  return figuresOf(bot, summary, top);
}

/** Signed-in users' behaviour (whole days) from every shard: each user's days are in one shard, so the parts add up exactly. */
async function shardedUserBehaviour(env: GatewayEnv, bot: string, range: AnalyticsRange) {
  const days = userBehaviourRange(range);
  const parts = await Promise.all(Array.from({ length: analyticsShards(env) }, (_, shard) => botAnalyticsStub(env, bot, shard).userBehaviour(days)));
  return mergeUserBehaviour(parts.map((part) => UserBehaviourPartSchema.parse(part)));
}

/** The query's range in whole intervals: `from` rounded down, `to` rounded up. */
export function resolveRange(query: AnalyticsQuery, now: number): { range: AnalyticsRange; interval: AnalyticsInterval } {
  const to = query.to === undefined ? now : Date.parse(query.to);
  const from = query.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(query.from);
  if (from >= to) throw new ApiError("invalid_request", "from must be before to");
  if (to - from > MAX_QUERY_DAYS * 24 * 3_600_000) throw new ApiError("invalid_request", `a range spans at most ${MAX_QUERY_DAYS} days`);
  const interval = query.interval ?? defaultInterval(to - from);
  const minutes = ANALYTICS_INTERVALS[interval];
  const fromMinute = Math.floor(from / MINUTE_MS / minutes) * minutes;
  const toMinute = Math.ceil(to / MINUTE_MS / minutes) * minutes;
  const points = (toMinute - fromMinute) / minutes;
  if (points > MAX_SERIES_POINTS) {
    throw new ApiError("invalid_request", `interval ${interval} gives ${points} points over this range (at most ${MAX_SERIES_POINTS}): choose a larger interval`);
  }
  return { range: { locale: query.locale ?? null, fromMinute, toMinute, intervalMinutes: minutes }, interval };
}

function defaultInterval(spanMs: number): AnalyticsInterval {
  const intervals = Object.entries(ANALYTICS_INTERVALS) as [AnalyticsInterval, number][];
  const fitting = intervals.find(([, minutes]) => spanMs / MINUTE_MS / minutes <= DEFAULT_MAX_POINTS);
  return fitting?.[0] ?? "1d";
}
