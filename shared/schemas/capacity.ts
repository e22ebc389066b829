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

/**
 * One Worker, per unit (a user message, a new conversation, a failed turn): what Workers bills
 * (invocations, CPU) and what bounds an invocation (subrequests).
 */
export const WorkerMeterSchema = z.object({
  /** Invocations of every kind (fetch, queue, rpc, scheduled …), at the batch sizes the bench saw. */
  invocations: count,
  invocations_by_event: z.record(z.string(), count),
  /** CPU ms from V8's CPU profile of the Worker's isolate (not wall time); it includes the Durable Objects the Worker hosts. */
  cpu_ms: count,
  /** Queue send/sendBatch calls, Durable Object calls and fetches made by the Worker's own handlers. */
  subrequests: count,
  queue_sends: count,
  object_calls: count,
  fetches: count,
  /** Mean wall ms of one queue consumer invocation (how long it holds a concurrency slot); 0 for a Worker that consumes none. */
  wall_ms_per_invocation: count,
});
export type WorkerMeter = z.infer<typeof WorkerMeterSchema>;

/** One Durable Object class, all its objects together, per unit. */
export const ObjectClassMeterSchema = z.object({
  /** Billed requests: RPC calls, fetches (WebSocket upgrades among them), alarm invocations, incoming WebSocket messages / 20. */
  requests: count,
  rpc_calls: count,
  fetches: count,
  alarm_invocations: count,
  websocket_messages: count,
  /** Wall ms with at least one call running on an object (billed duration), summed over objects. */
  active_ms: count,
  /** SQL cursors' rowsRead, plus one per key a key-value get() reads. */
  rows_read: count,
  /** SQL cursors' rowsWritten, plus one per setAlarm() and per key a key-value put()/delete() writes, as Cloudflare bills them. */
  rows_written: count,
  alarms_set: count,
  /** Growth of the objects' databases (`ctx.storage.sql.databaseSize`, raw: a new object counts from 0). */
  stored_bytes: count,
  /** The same net of the 4,096-byte page workerd reports for an empty database, once per object created. */
  stored_bytes_net: count,
  /** The largest database of one object of the class the bench saw (bytes, raw; not per unit). */
  largest_object_bytes: count,
  /** Queue sends, calls to other objects and fetches made by the class's objects. */
  subrequests: count,
});
export type ObjectClassMeter = z.infer<typeof ObjectClassMeterSchema>;

/** One queue family (all shards and jurisdictions of, e.g., the intent queue), per unit. */
export const QueueMeterSchema = z.object({
  /** Messages sent (each message of a sendBatch is one write; a message moved to a dead-letter queue is written there). */
  writes: count,
  /** Deliveries, redeliveries included. */
  reads: count,
  /** Messages acked (explicitly or by a handler that returned). */
  deletes: count,
  /** Messages retried (explicitly or by a handler that threw). */
  retries: count,
  /** Messages of this family moved to a dead-letter queue. */
  dead_letters: count,
  bytes_written: count,
  /** Mean message body, bytes of JSON. */
  message_bytes: count,
  /** The largest message body seen (bytes of JSON). */
  largest_message_bytes: count,
  send_calls: count,
  consumer_invocations: count,
  /** Mean wall ms of one consumer invocation of this family. */
  wall_ms_per_invocation: count,
});
export type QueueMeter = z.infer<typeof QueueMeterSchema>;

export const TurnCostSampleSchema = z.object({
  /** By Worker: gateway, intent, dialogue, metrics … */
  workers: z.record(z.string(), WorkerMeterSchema),
  /** By class key (shared/capacity-keys.ts): conversation, directory, analytics, dead_letters, metrics … */
  durable_objects: z.record(z.string(), ObjectClassMeterSchema),
  /** By queue family (shared/capacity-keys.ts): intent, dialogue, analytics, turn_failures, dead_letter_queues … */
  queues: z.record(z.string(), QueueMeterSchema),
  /** Analytics Engine data points written. */
  analytics_data_points: count,
});
export type TurnCostSample = z.infer<typeof TurnCostSampleSchema>;

/** A function's own CPU time in a Worker's profile (its callees' not included), per user message. */
const HotFunctionSchema = z.object({ name: z.string(), at: z.string(), self_ms: count, share: z.number().min(0).max(1) });

export const TurnCostResultSchema = z.object({
  measured_at: z.iso.datetime(),
  machine: z.string(),
  note: z.string(),
  /** Which of the byte figures the storage targets are read on, and why. */
  bytes_note: z.string(),
  /** The traffic the bench drove: how many conversations at once, their pace, what the consumers' batches held. */
  traffic: z.object({
    /** How the clients sent their messages: POST …/messages?wait, or over the conversation's WebSocket. */
    transport: z.enum(["http", "websocket"]),
    bots: z.array(z.string()),
    conversations_at_once: z.number().int().positive(),
    turns_per_conversation: z.number().int().positive(),
    think_ms: z.object({ min: count, max: count }),
    watchdog_ms: z.number().int().positive(),
    /** max_batch_timeout of the turn queues' consumers in the run (seconds; the committed configs' may differ). */
    stage_batch_timeout_s: count,
    turns_per_second: count,
    /** Mean messages per consumer invocation, by queue family, in the steady turns of all bots. */
    mean_batch: z.record(z.string(), count),
    failed_turns: z.number().int().nonnegative(),
    /** Which run the Durable Objects' active_ms comes from (batch waits lengthen a call that waits for its turn's answer). */
    active_ms_from: z.string(),
  }),
  turns: z.number().int().positive(),
  conversations: z.number().int().positive(),
  /** All bots together, per user message, at steady state (a conversation's second message on). */
  per_turn: TurnCostSampleSchema,
  /** What a new conversation adds to its messages: its creation and first message, less one steady message. */
  per_conversation: TurnCostSampleSchema,
  /** A message whose every delivery to the intent stage fails (an outage of a stage): its whole cost, dead letters and fallback included. */
  per_failed_turn: TurnCostSampleSchema.optional(),
  /** Each bot's own steady figures, per user message: the planner weights them by the bot mix. */
  per_bot: z.record(z.string(), TurnCostSampleSchema),
  /** Each Worker's CPU profile over the steady turns of all bots: its hottest functions, per user message. */
  cpu_profile: z.record(
    z.string(),
    z.object({
      cpu_ms: count,
      /** The meters' own CPU, left out of cpu_ms. */
      meter_ms: count,
      /** Own CPU by source module (from the bundle's module comments), per user message. */
      modules: z.array(z.object({ module: z.string(), self_ms: count, share: z.number().min(0).max(1) })),
      top: z.array(HotFunctionSchema),
    }),
  ),
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
    /**
     * Share of the peak's messages that fail at a stage in an outage (every delivery, then the dead
     * letter, the re-dispatches and the fallback: turn-cost.json's per_failed_turn). Shards are sized
     * for the worse of the steady traffic and this outage; 0 leaves the outage out.
     */
    outageShare: share.default(1),
  })
  .transform((inputs) => ({ ...inputs, peakMessagesPerSecond: inputs.peakMessagesPerSecond ?? inputs.messagesPerSecond }))
  .refine((inputs) => inputs.peakMessagesPerSecond >= inputs.messagesPerSecond, { message: "the peak is below the average" });
export type PlanInputs = z.output<typeof PlanInputsSchema>;
