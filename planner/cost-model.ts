// The monthly bill Σ C_i(Q_i): each Cloudflare service i is billed on the usage Q_i that the
// traffic causes. Usage is the measured per-turn cost (bench/results/turn-cost.json) times the
// traffic; the bill is Cloudflare's published price list (planner/cloudflare-prices.json) applied
// to that usage. Nothing here is a guess of its own: every factor is one of those two files' figures
// or an input the operator gives.
import type { PriceBook, PriceFigureName, TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";

export const STAGES = ["intent", "dialogue"] as const;
export type Stage = (typeof STAGES)[number];

/** How one stage's queue is consumed: the knobs Cloudflare Queues offers per consumer. */
export interface ConsumerSettings {
  maxBatchSize: number;
  /** Seconds a batch may wait to fill; 0 delivers at once. */
  maxBatchTimeoutSeconds: number;
}

/** One group of conversations that share queues: all of them, or those of one jurisdiction. */
export interface TrafficGroup {
  /** "global" or a Durable Objects / Queues jurisdiction such as "eu". */
  jurisdiction: string;
  /** Average and peak user messages per second of this group. */
  messagesPerSecond: number;
  peakMessagesPerSecond: number;
  /** The group's mean per-turn cost (its bots weighted by their share of its traffic). */
  perTurn: TurnCostSample;
  /** Queue shards per stage and how each is consumed. */
  shards: Record<Stage, number>;
  consumers: Record<Stage, ConsumerSettings>;
}

export interface Workload {
  messagesPerConversation: number;
  conversationMinutes: number;
  retentionDays: number;
  /** Share of conversations whose clients hold a WebSocket open for the whole conversation. */
  websocketShare: number;
  /** True: the conversation object uses the WebSocket Hibernation API (what Stratus does). */
  hibernation: boolean;
}

export const SERVICES = ["workers", "durable_objects", "sqlite_storage", "queues", "analytics_engine", "subscription"] as const;
export type Service = (typeof SERVICES)[number];

export interface MonthlyUsage {
  messages: number;
  conversations: number;
  workerRequests: number;
  workerCpuMs: number;
  durableObjectRequests: number;
  durableObjectGbSeconds: number;
  rowsRead: number;
  rowsWritten: number;
  storedGb: number;
  queueOperations: number;
  analyticsDataPoints: number;
  /** Worker requests per stage, for the report. */
  requestsByStage: Record<"gateway" | Stage | "dead_letters", number>;
}

export interface MonthlyCost {
  byService: Record<Service, number>;
  total: number;
  perMillionMessages: number;
}

export function figure(prices: PriceBook, name: PriceFigureName): number {
  return prices.figures[name].value;
}

/** Mean messages in one consumer batch: a batch closes when full or when its timeout runs out. */
export function expectedBatchSize(consumer: ConsumerSettings, messagesPerSecondPerShard: number): number {
  if (consumer.maxBatchTimeoutSeconds === 0) return 1; // delivered as each message arrives
  return Math.min(consumer.maxBatchSize, 1 + messagesPerSecondPerShard * consumer.maxBatchTimeoutSeconds);
}

/** Queue operations one message costs per write, read or delete: one per 64 KB, metadata included. */
export function operationsPerMessage(prices: PriceBook, messageBytes: number): number {
  return Math.max(1, Math.ceil((messageBytes + figure(prices, "queues.metadata_bytes_per_message")) / figure(prices, "queues.bytes_per_operation")));
}

/** What the traffic of every group uses in a month. */
export function monthlyUsage(groups: readonly TrafficGroup[], workload: Workload, costs: TurnCostResult, prices: PriceBook): MonthlyUsage {
  const seconds = figure(prices, "billing.seconds_per_month");
  const conversationCost = costs.per_conversation;
  const usage: MonthlyUsage = {
    messages: 0,
    conversations: 0,
    workerRequests: 0,
    workerCpuMs: 0,
    durableObjectRequests: 0,
    durableObjectGbSeconds: 0,
    rowsRead: 0,
    rowsWritten: 0,
    storedGb: 0,
    queueOperations: 0,
    analyticsDataPoints: 0,
    requestsByStage: { gateway: 0, intent: 0, dialogue: 0, dead_letters: 0 },
  };
  const memoryGb = figure(prices, "durable_objects.billed_memory_gb");
  for (const group of groups) {
    const turn = group.perTurn;
    const messages = group.messagesPerSecond * seconds;
    const conversations = messages / workload.messagesPerConversation;
    usage.messages += messages;
    usage.conversations += conversations;

    const gatewayRequests = messages * turn.gateway.invocations + conversations * conversationCost.gateway.invocations;
    usage.requestsByStage.gateway += gatewayRequests;
    usage.workerRequests += gatewayRequests;
    usage.workerCpuMs += messages * turn.gateway.cpu_ms + conversations * conversationCost.gateway.cpu_ms;
    for (const stage of STAGES) {
      const queue = turn.queues[stage];
      const perShard = (group.messagesPerSecond * queue.writes) / group.shards[stage];
      const invocations = (messages * queue.reads) / expectedBatchSize(group.consumers[stage], perShard);
      usage.requestsByStage[stage] += invocations;
      usage.workerRequests += invocations;
      usage.workerCpuMs += messages * turn[stage].cpu_ms;
      // A message is written, read (once per delivery), deleted; a dead letter is written to the
      // dead-letter queue, read and deleted by the gateway's consumer.
      const operations = queue.writes + queue.reads + queue.deletes + 3 * queue.dead_letters;
      usage.queueOperations += messages * operations * operationsPerMessage(prices, queue.message_bytes);
      const deadLetters = messages * queue.dead_letters;
      usage.requestsByStage.dead_letters += deadLetters;
      usage.workerRequests += deadLetters;
    }

    usage.durableObjectRequests += messages * turn.conversation_do.requests + conversations * conversationCost.conversation_do.requests;
    const activeSeconds = (messages * turn.conversation_do.active_ms + conversations * conversationCost.conversation_do.active_ms) / 1000;
    // Without hibernation an object that accepted a WebSocket is billed for as long as it is open.
    const heldSeconds = workload.hibernation ? 0 : conversations * workload.websocketShare * workload.conversationMinutes * 60;
    usage.durableObjectGbSeconds += (activeSeconds + heldSeconds) * memoryGb;
    usage.rowsRead += messages * turn.conversation_do.rows_read + conversations * conversationCost.conversation_do.rows_read;
    usage.rowsWritten += messages * turn.conversation_do.rows_written + conversations * conversationCost.conversation_do.rows_written;
    // Steady state: the conversations of the last `retentionDays` days are kept.
    const bytesPerConversation = conversationCost.stored_bytes + workload.messagesPerConversation * turn.stored_bytes;
    const monthsKept = workload.retentionDays / (seconds / 86_400);
    usage.storedGb += (conversations * monthsKept * bytesPerConversation) / 1e9;
    usage.analyticsDataPoints += messages * turn.analytics_data_points;
  }
  return usage;
}

const overage = (used: number, included: number) => Math.max(0, used - included);

/** Cloudflare's bill for a month of that usage: each meter past its included amount, at its price. */
export function monthlyCost(usage: MonthlyUsage, prices: PriceBook): MonthlyCost {
  const f = (name: PriceFigureName) => figure(prices, name);
  const byService: Record<Service, number> = {
    workers:
      (overage(usage.workerRequests, f("workers.requests_included_per_month")) / 1e6) * f("workers.price_per_million_requests") +
      (overage(usage.workerCpuMs, f("workers.cpu_ms_included_per_month")) / 1e6) * f("workers.price_per_million_cpu_ms"),
    durable_objects:
      (overage(usage.durableObjectRequests, f("durable_objects.requests_included_per_month")) / 1e6) * f("durable_objects.price_per_million_requests") +
      (overage(usage.durableObjectGbSeconds, f("durable_objects.gb_s_included_per_month")) / 1e6) * f("durable_objects.price_per_million_gb_s"),
    sqlite_storage:
      (overage(usage.rowsRead, f("sqlite.rows_read_included_per_month")) / 1e6) * f("sqlite.price_per_million_rows_read") +
      (overage(usage.rowsWritten, f("sqlite.rows_written_included_per_month")) / 1e6) * f("sqlite.price_per_million_rows_written") +
      overage(usage.storedGb, f("sqlite.storage_gb_month_included")) * f("sqlite.price_per_gb_month"),
    queues: (overage(usage.queueOperations, f("queues.operations_included_per_month")) / 1e6) * f("queues.price_per_million_operations"),
    analytics_engine:
      (overage(usage.analyticsDataPoints, f("analytics_engine.data_points_included_per_month")) / 1e6) *
      f("analytics_engine.price_per_million_data_points"),
    subscription: f("workers.subscription_per_month"),
  };
  const total = SERVICES.reduce((sum, service) => sum + byService[service], 0);
  return { byService, total, perMillionMessages: usage.messages > 0 ? total / (usage.messages / 1e6) : 0 };
}
