// The monthly bill Σ C_i(Q_i): each Cloudflare service i is billed on the usage Q_i that the
// traffic causes. Usage is the measured cost of a message and of a new conversation
// (bench/results/turn-cost.json: every Worker, every Durable Object class, every queue family)
// times the traffic; the bill is Cloudflare's published price list (planner/cloudflare-prices.json)
// applied to that usage. Nothing here is a guess of its own: every factor is one of those two
// files' figures, an input the operator gives, or a setting of the deployment's configs.
import type { PriceBook, PriceFigureName, TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";
import { objectClassTopology } from "./topology.ts";

/** How one queue family is consumed: the knobs Cloudflare Queues offers per consumer. */
export interface ConsumerSettings {
  maxBatchSize: number;
  /** Seconds a batch may wait to fill; 0 delivers at once. */
  maxBatchTimeoutSeconds: number;
}

/** One group of conversations that share the turn queues: all of them, or those of one jurisdiction. */
export interface TrafficGroup {
  /** "global" or a Durable Objects / Queues jurisdiction such as "eu". */
  jurisdiction: string;
  /** Average and peak user messages per second of this group. */
  messagesPerSecond: number;
  peakMessagesPerSecond: number;
  /** The group's mean per-message cost (its bots weighted by their share of its traffic). */
  perTurn: TurnCostSample;
}

/** How every queue family is sharded and consumed; turn-stage families per group (queueGroup keys). */
export interface QueueLayout {
  shards: Record<string, number>;
  consumers: Record<string, ConsumerSettings>;
}

export interface Workload {
  messagesPerConversation: number;
  conversationMinutes: number;
  retentionDays: number;
  /** Share of conversations whose clients hold a WebSocket open for the whole conversation. */
  websocketShare: number;
  /** True: the conversation object uses the WebSocket Hibernation API (what Stratus does). */
  hibernation: boolean;
  /** Objects per sharded class (bots × shards for a per-bot class): what bounded storage is billed on. */
  objectsPerClass: Record<string, number>;
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
  /** Worker requests by where they come from: a Worker's own invocations (requests, RPC, alarms) or a queue family's consumer. */
  requestsBy: Record<string, number>;
  /** Durable Object requests, rows written and stored GB by class. */
  byClass: Record<string, { requests: number; rowsWritten: number; rowsRead: number; storedGb: number }>;
  /** Queue operations by family. */
  operationsByQueue: Record<string, number>;
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
  return Math.max(1, Math.min(consumer.maxBatchSize, 1 + messagesPerSecondPerShard * consumer.maxBatchTimeoutSeconds));
}

/** Queue operations one message costs per write, read or delete: one per 64 KB, metadata included. */
export function operationsPerMessage(prices: PriceBook, messageBytes: number): number {
  return Math.max(1, Math.ceil((messageBytes + figure(prices, "queues.metadata_bytes_per_message")) / figure(prices, "queues.bytes_per_operation")));
}

const keysOf = <T>(...records: Array<Record<string, T>>) => [...new Set(records.flatMap((record) => Object.keys(record)))];

/** Worker invocations per unit that a queue does not cause (HTTP requests, RPC, alarms, crons). */
const ownInvocations = (sample: TurnCostSample, worker: string) => {
  const meter = sample.workers[worker];
  return meter ? Math.max(0, meter.invocations - (meter.invocations_by_event.queue ?? 0)) : 0;
};

/** Which queue layout key a family's queues of a group have: turn-stage families per jurisdiction, the others once. */
export type LayoutKey = (family: string, jurisdiction: string) => string;

/** What the traffic of every group uses in a month. */
export function monthlyUsage(
  groups: readonly TrafficGroup[],
  layout: QueueLayout,
  layoutKey: LayoutKey,
  workload: Workload,
  costs: TurnCostResult,
  prices: PriceBook,
): MonthlyUsage {
  const seconds = figure(prices, "billing.seconds_per_month");
  const created = costs.per_conversation;
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
    requestsBy: {},
    byClass: {},
    operationsByQueue: {},
  };
  const add = (record: Record<string, number>, key: string, value: number) => (record[key] = (record[key] ?? 0) + value);
  const memoryGb = figure(prices, "durable_objects.billed_memory_gb");
  const monthsKept = workload.retentionDays / (seconds / 86_400);
  // Each family's write rate per shard, over every group that sends to it: what its batches fill at.
  const writesPerSecond: Record<string, number> = {};
  for (const group of groups) {
    const conversationsPerSecond = group.messagesPerSecond / workload.messagesPerConversation;
    for (const family of keysOf(group.perTurn.queues, created.queues)) {
      const writes = group.messagesPerSecond * (group.perTurn.queues[family]?.writes ?? 0) + conversationsPerSecond * (created.queues[family]?.writes ?? 0);
      add(writesPerSecond, layoutKey(family, group.jurisdiction), writes);
    }
  }
  for (const group of groups) {
    const turn = group.perTurn;
    const messages = group.messagesPerSecond * seconds;
    const conversations = messages / workload.messagesPerConversation;
    usage.messages += messages;
    usage.conversations += conversations;

    for (const worker of keysOf(turn.workers, created.workers)) {
      const requests = messages * ownInvocations(turn, worker) + conversations * ownInvocations(created, worker);
      add(usage.requestsBy, worker, requests);
      usage.workerRequests += requests;
      usage.workerCpuMs += messages * (turn.workers[worker]?.cpu_ms ?? 0) + conversations * (created.workers[worker]?.cpu_ms ?? 0);
    }
    for (const family of keysOf(turn.queues, created.queues)) {
      const queue = turn.queues[family];
      const once = created.queues[family];
      const key = layoutKey(family, group.jurisdiction);
      const shards = layout.shards[key] ?? 1;
      const consumer = layout.consumers[key] ?? layout.consumers[family] ?? { maxBatchSize: 1, maxBatchTimeoutSeconds: 0 };
      const reads = messages * (queue?.reads ?? 0) + conversations * (once?.reads ?? 0);
      const invocations = reads / expectedBatchSize(consumer, (writesPerSecond[key] ?? 0) / shards);
      add(usage.requestsBy, `${family} consumer`, invocations);
      usage.workerRequests += invocations;
      // A message is written, read (once per delivery) and deleted; a dead letter is written to its
      // dead-letter queue, which the dead_letter_queues family meters.
      const operations = (m: typeof queue) => (m ? (m.writes + m.reads + m.deletes) * operationsPerMessage(prices, m.message_bytes) : 0);
      const total = messages * operations(queue) + conversations * operations(once);
      add(usage.operationsByQueue, family, total);
      usage.queueOperations += total;
    }
    for (const key of keysOf(turn.durable_objects, created.durable_objects)) {
      const o = turn.durable_objects[key];
      const c = created.durable_objects[key];
      const entry = (usage.byClass[key] ??= { requests: 0, rowsWritten: 0, rowsRead: 0, storedGb: 0 });
      const requests = messages * (o?.requests ?? 0) + conversations * (c?.requests ?? 0);
      const rowsRead = messages * (o?.rows_read ?? 0) + conversations * (c?.rows_read ?? 0);
      const rowsWritten = messages * (o?.rows_written ?? 0) + conversations * (c?.rows_written ?? 0);
      entry.requests += requests;
      entry.rowsRead += rowsRead;
      entry.rowsWritten += rowsWritten;
      usage.durableObjectRequests += requests;
      usage.rowsRead += rowsRead;
      usage.rowsWritten += rowsWritten;
      usage.durableObjectGbSeconds += ((messages * (o?.active_ms ?? 0) + conversations * (c?.active_ms ?? 0)) / 1000) * memoryGb;
      // Steady state: what is kept for `retentionDays`, by how the class's storage behaves.
      const storage = objectClassTopology(key).storage;
      if (storage === "per_object") {
        const perObject = (c?.stored_bytes ?? 0) + workload.messagesPerConversation * (o?.stored_bytes ?? 0);
        entry.storedGb += (conversations * monthsKept * perObject) / 1e9;
      } else if (storage === "retained") {
        entry.storedGb += (monthsKept * (messages * (o?.stored_bytes ?? 0) + conversations * (c?.stored_bytes ?? 0))) / 1e9;
      }
    }
    if (!workload.hibernation) {
      // Without hibernation an object that accepted a WebSocket is billed for as long as it is open.
      usage.durableObjectGbSeconds += conversations * workload.websocketShare * workload.conversationMinutes * 60 * memoryGb;
    }
    usage.analyticsDataPoints += messages * turn.analytics_data_points + conversations * created.analytics_data_points;
  }
  // Bounded classes keep what they keep whatever the traffic: their objects at the largest size the bench saw.
  for (const [key, meter] of Object.entries(costs.per_turn.durable_objects)) {
    if (objectClassTopology(key).storage !== "bounded") continue;
    const entry = (usage.byClass[key] ??= { requests: 0, rowsWritten: 0, rowsRead: 0, storedGb: 0 });
    entry.storedGb += ((workload.objectsPerClass[key] ?? 1) * meter.largest_object_bytes) / 1e9;
  }
  usage.storedGb = Object.values(usage.byClass).reduce((sum, entry) => sum + entry.storedGb, 0);
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
