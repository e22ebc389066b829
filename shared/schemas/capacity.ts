import { z } from "zod";
import { JurisdictionSchema } from "./residency.ts";

/**
 * The files the capacity planner (`npm run plan`) reads: Cloudflare's published prices and limits
 * (planner/cloudflare-prices.json) and what one turn costs as measured by `npm run bench:turn-cost`
 * (bench/results/turn-cost.json). The planner derives every figure it prints from these two.
 */

const PriceFigureSchema = z.object({
  value: z.number().nonnegative(),
  unit: z.string().min(1),
  /** Where the figure was read: a page of Cloudflare's documentation. */
  source: z.url(),
  /** When it was read (YYYY-MM-DD). */
  read: z.iso.date(),
});

/** Every figure the planner uses. */
export const PRICE_FIGURES = [
  "workers.subscription_per_month",
  "workers.requests_included_per_month",
  "workers.price_per_million_requests",
  "workers.cpu_ms_included_per_month",
  "workers.price_per_million_cpu_ms",
  "workers.subrequests_per_invocation_limit",
  "workers.cpu_ms_per_invocation_limit",
  "durable_objects.requests_included_per_month",
  "durable_objects.price_per_million_requests",
  "durable_objects.websocket_messages_per_billed_request",
  "durable_objects.gb_s_included_per_month",
  "durable_objects.price_per_million_gb_s",
  "durable_objects.billed_memory_gb",
  "durable_objects.requests_per_second_per_object_limit",
  "durable_objects.storage_per_object_limit_bytes",
  "sqlite.rows_read_included_per_month",
  "sqlite.price_per_million_rows_read",
  "sqlite.rows_written_included_per_month",
  "sqlite.price_per_million_rows_written",
  "sqlite.storage_gb_month_included",
  "sqlite.price_per_gb_month",
  "queues.operations_included_per_month",
  "queues.price_per_million_operations",
  "queues.bytes_per_operation",
  "queues.metadata_bytes_per_message",
  "queues.messages_per_second_per_queue_limit",
  "queues.concurrent_consumers_per_queue_limit",
  "queues.max_batch_size_limit",
  "queues.max_batch_timeout_seconds_limit",
  "queues.queues_per_account_limit",
  "queues.max_message_bytes_limit",
  "queues.backlog_bytes_per_queue_limit",
  "queues.max_retention_days_limit",
  "analytics_engine.data_points_included_per_month",
  "analytics_engine.price_per_million_data_points",
  "billing.seconds_per_month",
] as const;
export type PriceFigureName = (typeof PRICE_FIGURES)[number];

export const PriceBookSchema = z.object({
  currency: z.literal("USD"),
  /** Zod 4 records over an enum are exhaustive: a missing figure fails when the file is read. */
  figures: z.record(z.enum(PRICE_FIGURES), PriceFigureSchema),
});
export type PriceBook = z.infer<typeof PriceBookSchema>;

const count = z.number().nonnegative();

/** One Worker stage, per user message: what Workers bills (requests and CPU) and what it waits on. */
export const StageCostSchema = z.object({
  /** Worker invocations (billed as requests) per user message, at the batch sizes the bench saw. */
  invocations: count,
  /** CPU milliseconds per user message, from V8's CPU profile of the stage's isolate (not wall time). */
  cpu_ms: count,
  /** Wall-clock milliseconds of one invocation: how long a queue consumer holds a concurrency slot. */
  wall_ms_per_invocation: count,
  /** Subrequests per user message: Durable Object RPC calls, queue sends and outbound fetches. */
  subrequests: count,
});
export type StageCost = z.infer<typeof StageCostSchema>;

/** The conversation Durable Object, per user message (or per conversation). */
export const DurableObjectCostSchema = z.object({
  /** Billed requests: RPC calls, WebSocket upgrades, alarm invocations. */
  requests: count,
  alarm_invocations: count,
  /** Wall-clock milliseconds with at least one request running on the object (billed duration). */
  active_ms: count,
  /** SQL cursor rowsRead. */
  rows_read: count,
  /** SQL cursor rowsWritten plus one per setAlarm(), as Cloudflare bills them. */
  rows_written: count,
});
export type DurableObjectCost = z.infer<typeof DurableObjectCostSchema>;

/** One stage's queue, per user message. */
export const QueueCostSchema = z.object({
  writes: count,
  /** Deliveries, retries included. */
  reads: count,
  deletes: count,
  retries: count,
  dead_letters: count,
  /** Mean message body, bytes of JSON. */
  message_bytes: count,
});
export type QueueCost = z.infer<typeof QueueCostSchema>;

export const TurnCostSampleSchema = z.object({
  gateway: StageCostSchema,
  conversation_do: DurableObjectCostSchema,
  intent: StageCostSchema,
  dialogue: StageCostSchema,
  queues: z.object({ intent: QueueCostSchema, dialogue: QueueCostSchema }),
  /** Analytics Engine data points written per user message. */
  analytics_data_points: count,
  /** Growth of the conversation's SQLite database per user message (bytes). */
  stored_bytes: count,
});
export type TurnCostSample = z.infer<typeof TurnCostSampleSchema>;

export const TurnCostResultSchema = z.object({
  measured_at: z.iso.datetime(),
  machine: z.string(),
  note: z.string(),
  turns: z.number().int().positive(),
  conversations: z.number().int().positive(),
  /** All bots together, per user message. */
  per_turn: TurnCostSampleSchema,
  /** Each bot's own figures, per user message: the planner weights them by the bot mix. */
  per_bot: z.record(z.string(), TurnCostSampleSchema),
  /** Starting a conversation (POST /v1/conversations): once per conversation. */
  per_conversation: z.object({
    gateway: StageCostSchema,
    conversation_do: DurableObjectCostSchema,
    /** Size of a new conversation's SQLite database (bytes). */
    stored_bytes: count,
  }),
});
export type TurnCostResult = z.infer<typeof TurnCostResultSchema>;

/** The chat round trip `npm run bench:latency` measured (bench/results/latency.json): the planner's latency floor. */
const LatencyArmSchema = z.object({ p99_ms: z.number().nonnegative() });

/**
 * bench/results/latency.json: the round trip with metrics on (as deployments run) beside metrics
 * off; a run against one stack (`--url`) writes its arm as `running_stack`. The planner reads p99.
 */
export const LatencyResultSchema = z
  .union([
    z.object({ metrics_on: LatencyArmSchema, measured_at: z.iso.datetime() }),
    z.object({ running_stack: LatencyArmSchema, measured_at: z.iso.datetime() }),
  ])
  .transform((result) => ({
    p99_ms: "metrics_on" in result ? result.metrics_on.p99_ms : result.running_stack.p99_ms,
    measured_at: result.measured_at,
  }));
export type LatencyResult = z.output<typeof LatencyResultSchema>;

const positive = z.number().positive();
const share = z.number().min(0).max(1);

/** What the operator tells `npm run plan` about the deployment's traffic and promises. */
export const PlanInputsSchema = z
  .object({
    /** Average user messages per second over the month: what the bill is computed on. */
    messagesPerSecond: positive,
    /** The busiest second the deployment must carry (default: the average): what shards are sized for. */
    peakMessagesPerSecond: positive.optional(),
    messagesPerConversation: positive.default(8),
    /** How long a conversation lasts (minutes): what a WebSocket holds an object for without hibernation. */
    conversationMinutes: positive.default(10),
    /** Share of traffic per bot; empty: the bots as the bench mixed them. */
    botMix: z.record(z.string().min(1), z.number().nonnegative()).default({}),
    /** Bots whose conversations live in a jurisdiction (bot → "eu" …): they get their own queues. */
    residency: z.record(z.string().min(1), JurisdictionSchema).default({}),
    /** Days a transcript is kept. */
    retentionDays: positive.default(30),
    /** p99 of the chat round trip the deployment promises (ms). */
    latencySloMs: positive.default(1000),
    /** Share of conversations whose clients keep a WebSocket open for the whole conversation. */
    websocketShare: share.default(0),
    /** Fraction of each Cloudflare limit the plan may use (0.8: a fifth spare for skew and bursts). */
    headroom: z.number().gt(0).max(1).default(0.8),
  })
  .transform((inputs) => ({ ...inputs, peakMessagesPerSecond: inputs.peakMessagesPerSecond ?? inputs.messagesPerSecond }))
  .refine((inputs) => inputs.peakMessagesPerSecond >= inputs.messagesPerSecond, { message: "the peak is below the average" });
export type PlanInputs = z.output<typeof PlanInputsSchema>;
