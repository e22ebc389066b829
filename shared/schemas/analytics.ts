/**
 * Analytics for the people who run a bot: what the conversation objects report per turn, the
 * per-minute rollups one analytics object per bot keeps in SQLite, and the `GET /v1/analytics`
 * query and answer. How the numbers are counted is in docs/analytics.md.
 */
import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { LocaleSchema } from "./nlu.ts";
import { UserKeySchema } from "./profile.ts";

/** `analytics:` in bot.yaml. */
export const BotAnalyticsSettingsSchema = z
  .object({
    /**
     * Keep the text of messages the bot did not understand (out of scope or its fallback), so the
     * owner sees the most frequent ones. Off: only counts are kept. Kept text lives 30 days.
     */
    keepUnrecognisedText: z.boolean().default(false),
  })
  .strict();
export type BotAnalyticsSettings = z.output<typeof BotAnalyticsSettingsSchema>;

/** generated/bot-analytics.json: every bot's settings (for the gateway's bundle; never served). */
export const BotAnalyticsSettingsByBotSchema = z.record(BotIdSchema, BotAnalyticsSettingsSchema);

/** How long kept text and the per-minute rollups live in the analytics object. */
export const UNRECOGNISED_TEXT_RETENTION_DAYS = 30;
export const ROLLUP_RETENTION_DAYS = 35;
/** A query spans at most this much, so it reads at most 31 × 1,440 rows per locale. */
export const MAX_QUERY_DAYS = 31;
/** Kept text is cut to this many characters. */
export const MAX_KEPT_TEXT_LENGTH = 200;

const NameSchema = z.string().min(1).max(64);
const CountSchema = z.number().int().nonnegative();
/** Epoch milliseconds. */
const InstantSchema = z.number().int().nonnegative();

/** How a turn closed (turn-ledger.ts): answered by the bot, by the pipeline fallback, or held for a human. */
export const TurnOutcomeSchema = z.enum(["bot", "fallback", "held"]);

/**
 * One closed turn, as its conversation object reports it. The key makes a report count once
 * however often the queue delivers it.
 */
export const TurnReportSchema = z.object({
  kind: z.literal("turn"),
  /** The user message's seq: with the conversation id, unique per turn. */
  seq: z.number().int().positive(),
  /** When the turn closed. */
  at: InstantSchema,
  locale: LocaleSchema,
  outcome: TurnOutcomeSchema,
  /** The conversation's first turn: it counts the conversation, in the minute of `at`. */
  startsConversation: z.boolean(),
  /** A conversation that starts already handed to a person (an operator took it before the first message). */
  startsHandedOff: z.boolean(),
  /** From the user message being stored to the turn closing, every attempt included. */
  latencyMs: z.number().int().nonnegative(),
  botReplies: CountSchema,
  /** The NLU's best intent (out_of_scope included), for bot-answered turns. */
  intent: NameSchema.optional(),
  /** The bot's own fallback answered: it did not understand the message. */
  botFallback: z.boolean(),
  /** The dialogue handed the conversation to a person in this turn. */
  handoff: z.boolean(),
  actions: z.array(z.object({ action: NameSchema, failed: z.boolean() })).max(20),
  /** Only for a bot that keeps unrecognised text, and only for an unrecognised turn. */
  text: z.string().min(1).max(MAX_KEPT_TEXT_LENGTH).optional(),
});

/** A human took the conversation (an operator, or the bot handing off). */
export const HandoffReportSchema = z.object({
  kind: z.literal("handoff"),
  /** The conversation's handoffs so far, this one included: unique per handoff. */
  ordinal: z.number().int().positive(),
  at: InstantSchema,
  locale: LocaleSchema,
  by: z.enum(["bot", "operator"]),
  /**
   * For the conversation's first handoff once it has started: the minute and locale its first
   * turn was counted in, where it now counts as not contained.
   */
  cohort: z.object({ minute: z.number().int().nonnegative(), locale: LocaleSchema }).optional(),
});

/** A human agent wrote in the conversation. */
export const AgentMessageReportSchema = z.object({
  kind: z.literal("agent_message"),
  seq: z.number().int().positive(),
  at: InstantSchema,
  locale: LocaleSchema,
});

/**
 * A signed-in user's conversation started (its first turn closed): the user's pseudonymous key and
 * when. Counted per user and day (never the `sub`), in the analytics shard the key hashes to, so all
 * of one user's days are in one shard: returning users, conversations per user, weekly cohorts.
 */
export const UserConversationReportSchema = z.object({
  kind: z.literal("user_conversation"),
  userKey: UserKeySchema,
  at: InstantSchema,
});

/**
 * Recommendation cards a turn's replies showed, and clicks on a card's button its message was (the
 * dialogue result's `decision.recommendations`): the click-through rate. Reported by the turn's
 * conversation with the turn's seq, like the turn itself.
 */
export const RecommendationReportSchema = z.object({
  kind: z.literal("recommendation"),
  seq: z.number().int().positive(),
  at: InstantSchema,
  locale: LocaleSchema,
  shown: CountSchema,
  clicked: CountSchema,
});

/** Conversation object → queue `stratus-analytics` → the bot's analytics object. Versioned like every queue message. */
export const AnalyticsReportSchema = z.object({
  v: z.literal(1),
  bot: BotIdSchema,
  /** The bot version the conversation runs on (docs/bot-versions.md); absent in reports of older code: 1. */
  botVersion: z.number().int().positive().optional(),
  conversationId: z.string().min(1).max(64),
  fact: z.discriminatedUnion("kind", [TurnReportSchema, HandoffReportSchema, AgentMessageReportSchema, UserConversationReportSchema, RecommendationReportSchema]),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReportSchema>;
export type TurnReport = z.infer<typeof TurnReportSchema>;

/** Latency buckets: index → count (sparse). Bucket math: durable-objects/analytics/latency-histogram.ts. */
export const LatencyBucketsSchema = z.record(z.string().regex(/^\d{1,3}$/), CountSchema);
export type LatencyBuckets = z.infer<typeof LatencyBucketsSchema>;

/** The additive figures of one minute and locale; every field sums across minutes. */
export const RollupFiguresSchema = z.object({
  conversations: CountSchema,
  /** Of the conversations counted in this minute: how many a person has taken since (containment). */
  handedOffConversations: CountSchema,
  turns: CountSchema,
  turnsBot: CountSchema,
  turnsPipelineFallback: CountSchema,
  turnsHeld: CountSchema,
  userMessages: CountSchema,
  botMessages: CountSchema,
  agentMessages: CountSchema,
  botFallbacks: CountSchema,
  outOfScope: CountSchema,
  /** Bot-answered turns that were out of scope or fell back (each counted once). */
  unrecognised: CountSchema,
  handoffsBot: CountSchema,
  handoffsOperator: CountSchema,
  actionCalls: CountSchema,
  actionFailures: CountSchema,
  intents: z.record(NameSchema, CountSchema),
  /** action → [calls, failures] */
  actions: z.record(NameSchema, z.tuple([CountSchema, CountSchema])),
  latency: LatencyBucketsSchema,
  /** Recommendation cards shown and their buttons clicked (rows written before they were counted hold none). */
  recommendationsShown: CountSchema.default(0),
  recommendationsClicked: CountSchema.default(0),
});
export type RollupFigures = z.infer<typeof RollupFiguresSchema>;

/**
 * The figures a bot's versions are compared by (fallback rate, containment, handoffs), per minute,
 * locale and version: the part of RollupFiguresSchema the per-version breakdown needs.
 */
export const VersionRollupFiguresSchema = RollupFiguresSchema.pick({
  conversations: true,
  handedOffConversations: true,
  turns: true,
  turnsBot: true,
  botFallbacks: true,
  outOfScope: true,
  handoffsBot: true,
  handoffsOperator: true,
});
export type VersionRollupFigures = z.infer<typeof VersionRollupFiguresSchema>;

/** One analytics shard's sums over a range, as the gateway merges them (durable-objects/analytics/analytics-summary.ts). */
export const SummaryPartSchema = z.object({
  total: RollupFiguresSchema,
  points: z.array(RollupFiguresSchema),
  rows: CountSchema,
  /** Per bot version, by version number (docs/bot-versions.md); absent from shards of older code. */
  versions: z.record(z.string().regex(/^[1-9]\d*$/), VersionRollupFiguresSchema).default({}),
});

/** A stored row of the `minute_rollups` table. */
export const MinuteRollupRowSchema = z.object({
  minute: z.number().int().nonnegative(),
  locale: LocaleSchema,
  figures: z.string().transform((json, ctx) => {
    const parsed = RollupFiguresSchema.safeParse(JSON.parse(json));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "stored rollup figures are not valid" });
      return z.NEVER;
    }
    return parsed.data;
  }),
});


/** A stored row of the `version_rollups` table. */
export const VersionRollupRowSchema = z.object({
  minute: z.number().int().nonnegative(),
  locale: LocaleSchema,
  version: z.number().int().positive(),
  figures: z.string().transform((json, ctx) => {
    const parsed = VersionRollupFiguresSchema.safeParse(JSON.parse(json));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "stored version figures are not valid" });
      return z.NEVER;
    }
    return parsed.data;
  }),
});

/** A stored row of the `unrecognised_texts` query: a kept text and how often it came. */
export const UnrecognisedTextRowSchema = z.object({
  text: z.string().min(1).max(MAX_KEPT_TEXT_LENGTH),
  count: CountSchema,
  last_seen: InstantSchema,
});

export const ANALYTICS_INTERVALS = { "1m": 1, "5m": 5, "15m": 15, "1h": 60, "1d": 1440 } as const;
export const AnalyticsIntervalSchema = z.enum(Object.keys(ANALYTICS_INTERVALS) as [keyof typeof ANALYTICS_INTERVALS, ...(keyof typeof ANALYTICS_INTERVALS)[]]);
export type AnalyticsInterval = z.infer<typeof AnalyticsIntervalSchema>;
/** A series has at most this many points: a larger interval answers a longer range. */
export const MAX_SERIES_POINTS = 1440;

/** `GET /v1/analytics` query, before the range is checked against the clock. */
export const AnalyticsQuerySchema = z
  .object({
    bot: BotIdSchema,
    locale: LocaleSchema.optional(),
    /** ISO 8601; default: `to` minus 24 hours. Rounded down to the minute. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** ISO 8601; default: now. Rounded up to the minute. */
    to: z.iso.datetime({ offset: true }).optional(),
    /** Width of a series point; default: the smallest that gives at most 360 points. */
    interval: AnalyticsIntervalSchema.optional(),
  })
  .strict();
export type AnalyticsQuery = z.infer<typeof AnalyticsQuerySchema>;

/** What the gateway asks the bot's analytics object, once the query is resolved. */
export const AnalyticsRangeSchema = z.object({
  locale: LocaleSchema.nullable(),
  fromMinute: z.number().int().nonnegative(),
  toMinute: z.number().int().nonnegative(),
  intervalMinutes: z.number().int().positive(),
});
export type AnalyticsRange = z.infer<typeof AnalyticsRangeSchema>;

const RateSchema = z.number().min(0).max(1).nullable();

export const LatencySummarySchema = z.object({
  /** Turns measured (every closed turn). */
  count: CountSchema,
  p50Ms: z.number().nonnegative().nullable(),
  p90Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
  p99Ms: z.number().nonnegative().nullable(),
  /** A percentile given is within this fraction of the true value (histogram buckets). */
  relativeError: z.number(),
});

export const AnalyticsTotalsSchema = z.object({
  conversations: CountSchema,
  /** Of those conversations, the share never handed to a person (so far); null with none. */
  containmentRate: RateSchema,
  handedOffConversations: CountSchema,
  messages: z.object({ user: CountSchema, bot: CountSchema, agent: CountSchema }),
  turns: z.object({ total: CountSchema, bot: CountSchema, pipelineFallback: CountSchema, held: CountSchema }),
  /** Per bot-answered turn. */
  fallbackRate: RateSchema,
  fallbacks: CountSchema,
  outOfScopeRate: RateSchema,
  outOfScope: CountSchema,
  handoffs: z.object({ total: CountSchema, bot: CountSchema, operator: CountSchema }),
  actions: z.object({
    calls: CountSchema,
    failures: CountSchema,
    failureRate: RateSchema,
    byAction: z.array(z.object({ action: NameSchema, calls: CountSchema, failures: CountSchema })),
  }),
  intents: z.array(z.object({ intent: NameSchema, count: CountSchema, share: z.number().min(0).max(1) })),
  latency: LatencySummarySchema,
  /** Recommendation cards shown, clicks on their buttons, and clicks per card shown (null with none shown). */
  recommendations: z.object({ shown: CountSchema, clicked: CountSchema, clickThroughRate: RateSchema }),
});

export const AnalyticsPointSchema = z.object({
  start: z.iso.datetime(),
  conversations: CountSchema,
  turns: CountSchema,
  fallbacks: CountSchema,
  outOfScope: CountSchema,
  handoffs: CountSchema,
  actionFailures: CountSchema,
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
});

export const UnrecognisedSummarySchema = z.object({
  /** Bot-answered turns the bot did not understand: out of scope or its fallback. */
  count: CountSchema,
  /** Whether the bot keeps their text (`analytics: keepUnrecognisedText` in bot.yaml). */
  textKept: z.boolean(),
  textRetentionDays: z.number().int().positive(),
  /** The most frequent kept texts (hour-granular at the range's edges); empty when text is not kept. */
  top: z.array(z.object({ text: z.string(), count: CountSchema, lastSeen: z.iso.datetime() })),
});

/** One version of the bot over the range, to compare versions side by side (a canary with the current one, before and after a release). */
export const VersionFiguresSchema = z.object({
  version: z.number().int().positive(),
  /** Conversations that started on this version in the range. */
  conversations: CountSchema,
  containmentRate: RateSchema,
  handedOffConversations: CountSchema,
  turns: z.object({ total: CountSchema, bot: CountSchema }),
  /** Per bot-answered turn. */
  fallbackRate: RateSchema,
  fallbacks: CountSchema,
  outOfScopeRate: RateSchema,
  handoffs: z.object({ total: CountSchema, bot: CountSchema, operator: CountSchema }),
});
export type VersionFigures = z.infer<typeof VersionFiguresSchema>;

/** What the analytics object answers for a range. */
export const AnalyticsFiguresSchema = z.object({
  totals: AnalyticsTotalsSchema,
  /** The same range per bot version, newest version first (one entry per version with activity). */
  versions: z.array(VersionFiguresSchema),
  series: z.array(AnalyticsPointSchema),
  unrecognised: UnrecognisedSummarySchema,
  /** Per-minute rollup rows the answer was computed from. */
  rowsRead: CountSchema,
});
export type AnalyticsFigures = z.infer<typeof AnalyticsFiguresSchema>;

/** Days a bot's analytics keep a signed-in user's activity (per pseudonymous key and day): the cohorts' horizon. */
export const USER_ACTIVITY_RETENTION_DAYS = 182;
/** Weekly cohorts in an answer: the weeks up to the range's last. */
export const COHORT_WEEKS = 8;

/**
 * One weekly cohort: the signed-in users whose first conversation with the bot (within the kept
 * history) was in the week starting `week` (Monday, UTC), and how many of them had one in that week
 * and each week after (`active[0]` is the cohort itself); weeks after the range's last are absent.
 */
export const CohortSchema = z.object({
  week: z.iso.date(),
  users: CountSchema,
  active: z.array(CountSchema),
  /** `active` as shares of `users` (null for an empty cohort). */
  retention: z.array(RateSchema),
});

/** What one analytics shard counts of its users (those whose keys hash to it); shards' parts add up exactly. */
export const UserBehaviourPartSchema = z.object({
  activeUsers: CountSchema,
  newUsers: CountSchema,
  returningUsers: CountSchema,
  conversations: CountSchema,
  cohorts: z.array(CohortSchema.pick({ week: true, users: true, active: true })),
  rows: CountSchema,
});
export type UserBehaviourPart = z.infer<typeof UserBehaviourPartSchema>;

/**
 * Signed-in users' behaviour over the range (whole UTC days), across the bot's locales: who came,
 * who came back, how often. Users are counted by a pseudonymous key, never their id.
 */
export const UserBehaviourSchema = z.object({
  /** Signed-in users with a conversation in the range. */
  activeUsers: CountSchema,
  /** Of those, whose first conversation (within the kept history) is in the range. */
  newUsers: CountSchema,
  /** Of those, who had a conversation before the range: they came back. */
  returningUsers: CountSchema,
  returningRate: RateSchema,
  /** Signed-in users' conversations in the range, and per active user. */
  conversations: CountSchema,
  conversationsPerUser: z.number().nonnegative().nullable(),
  /** Weekly cohort retention, the oldest cohort first: COHORT_WEEKS weeks up to the range's last. */
  cohorts: z.array(CohortSchema),
  historyDays: z.number().int().positive(),
  /** Per-user-day rows the answer was computed from. */
  rowsRead: CountSchema,
});
export type UserBehaviour = z.infer<typeof UserBehaviourSchema>;

/** What the analytics object reads of its users' days for a range (whole days, UTC). */
export const UserBehaviourRangeSchema = z.object({ fromDay: z.number().int().nonnegative(), toDay: z.number().int().nonnegative() });
export type UserBehaviourRange = z.infer<typeof UserBehaviourRangeSchema>;

/** `GET /v1/analytics` answer. */
export const AnalyticsResponseSchema = AnalyticsFiguresSchema.extend({
  users: UserBehaviourSchema,
  bot: BotIdSchema,
  locale: LocaleSchema.nullable(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  interval: AnalyticsIntervalSchema,
  generatedAt: z.iso.datetime(),
});
export type AnalyticsResponse = z.infer<typeof AnalyticsResponseSchema>;
