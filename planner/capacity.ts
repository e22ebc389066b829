// Every Durable Object class and every queue family against Cloudflare's per-object and per-queue
// limits: its peak load per object (or per queue) at a shard assignment, the limit and the share
// of it the plan may use (--headroom), and the fewest shards that keep it under. The load comes
// from the measured cost of a message, of a new conversation and of a failed turn
// (bench/results/turn-cost.json) times the traffic; how it spreads over objects from
// planner/topology.ts; the limits from planner/cloudflare-prices.json.
import type { PlanInputs, PriceBook, PriceFigureName, TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";
import { DEAD_LETTER_QUEUES_KEY } from "../shared/capacity-keys.ts";
import { figure, type TrafficGroup } from "./cost-model.ts";
import { weightedSample } from "./samples.ts";
import { TURN_STAGE_FAMILIES, objectClassTopology } from "./topology.ts";

/** The traffic the lines are computed for: the steady messages, or an outage in which a share of them fail at a stage. */
export interface Scenario {
  name: "steady" | "outage";
  /** Share of the messages that fail (turn-cost.json's per_failed_turn instead of per_turn). */
  failedShare: number;
}

export interface CapacityContext {
  inputs: PlanInputs;
  costs: TurnCostResult;
  prices: PriceBook;
  groups: ReadonlyArray<TrafficGroup & { bots: string[] }>;
  layoutKey: (family: string, jurisdiction: string) => string;
  /** The busiest bot's share of the traffic: what a per-bot class's busiest objects carry. */
  busiestBotShare: number;
  bots: number;
  scenarios: readonly Scenario[];
}

export interface ShardAssignment {
  objects: Record<string, number>;
  queues: Record<string, number>;
}

export interface CapacityLine {
  kind: "object" | "queue";
  /** The class key, or the queue group (`intent`, `intent (eu)`, `analytics` …). */
  subject: string;
  /** Where its shard count is set in a ShardAssignment; null: no shard count changes this line. */
  shardKey: string | null;
  /** What the objects or queues are, and how many at this assignment. */
  objects: string;
  shards: number | null;
  check: string;
  scenario: Scenario["name"];
  /** Peak load on one object or one queue. */
  load: number;
  unit: string;
  /** Cloudflare's published limit, and the part of it the plan may use (limit × headroom). */
  limit: number;
  allowed: number;
  ok: boolean;
  /** The fewest shards that keep this line under `allowed` (null: not a sharded line). */
  shardsNeeded: number | null;
}

/** A single-threaded object's wall time: at most one second of work per second. */
const MS_PER_SECOND = 1000;
const steadyScenario: Scenario = { name: "steady", failedShare: 0 };
const neededFor = (total: number, allowed: number) => Math.max(1, Math.ceil(total / allowed - 1e-9));
const keysOf = (...records: Array<Record<string, unknown> | undefined>) => [...new Set(records.flatMap((record) => Object.keys(record ?? {})))].sort();

export function capacityLines(context: CapacityContext, shards: ShardAssignment | ((kind: "object" | "queue", key: string) => number)): CapacityLine[] {
  const { inputs, costs, prices, groups } = context;
  const shardsOf = typeof shards === "function" ? shards : (kind: "object" | "queue", key: string) => (kind === "object" ? shards.objects[key] : shards.queues[key]) ?? 1;
  const f = (name: PriceFigureName) => figure(prices, name);
  const headroom = inputs.headroom;
  const created = costs.per_conversation;
  const failed = costs.per_failed_turn;
  const lines: CapacityLine[] = [];

  /** A group's per-message sample in a scenario: its steady messages, with the failing share's cost in place of theirs. */
  const sampleOf = (group: TrafficGroup, scenario: Scenario): TurnCostSample =>
    failed && scenario.failedShare > 0 ? blend(group.perTurn, failed, scenario.failedShare) : group.perTurn;
  const conversationsPerSecond = (messagesPerSecond: number) => messagesPerSecond / inputs.messagesPerConversation;
  /** Peak rate of something metered per message (`pick`) and per new conversation, over the given groups. */
  const peakRate = (scenario: Scenario, pick: (sample: TurnCostSample) => number, among: readonly TrafficGroup[] = groups) =>
    among.reduce((sum, group) => sum + group.peakMessagesPerSecond * pick(sampleOf(group, scenario)) + conversationsPerSecond(group.peakMessagesPerSecond) * pick(created), 0);
  const averageRate = (pick: (sample: TurnCostSample) => number) =>
    groups.reduce((sum, group) => sum + group.messagesPerSecond * pick(group.perTurn) + conversationsPerSecond(group.messagesPerSecond) * pick(created), 0);
  /** The per-message sample of all traffic in a scenario (groups weighted by their peak). */
  const overall = (scenario: Scenario) => weightedSample(groups.map((group) => [sampleOf(group, scenario), group.peakMessagesPerSecond] as const));

  const requestLimit = f("durable_objects.requests_per_second_per_object_limit");
  const storageLimit = f("durable_objects.storage_per_object_limit_bytes");
  const retentionSeconds = inputs.retentionDays * 86_400;

  // ---- Durable Object classes
  for (const key of keysOf(costs.per_turn.durable_objects, created.durable_objects, failed?.durable_objects)) {
    const topology = objectClassTopology(key);
    const requests = (sample: TurnCostSample) => sample.durable_objects[key]?.requests ?? 0;
    const storedPerMessage = (sample: TurnCostSample) => sample.durable_objects[key]?.stored_bytes ?? 0;
    if (topology.scaling.kind !== "sharded") {
      // One object per conversation (or per user): the busiest carries one conversation at its pace.
      const secondsPerConversation = inputs.conversationMinutes * 60;
      for (const scenario of context.scenarios) {
        const load = (inputs.messagesPerConversation * requests(overall(scenario)) + requests(created)) / secondsPerConversation;
        lines.push(line("object", key, null, topology.what, null, "requests/s per object (one conversation at its pace)", scenario.name, load, "requests/s", requestLimit, headroom, null));
      }
      const bytes = (created.durable_objects[key]?.stored_bytes ?? 0) + inputs.messagesPerConversation * storedPerMessage(costs.per_turn);
      lines.push(line("object", key, null, topology.what, null, `bytes stored per object (${inputs.messagesPerConversation} messages)`, "steady", bytes, "bytes", storageLimit, headroom, null));
      continue;
    }
    const n = shardsOf("object", key);
    const share = topology.scaling.perBot ? context.busiestBotShare : 1;
    const objects = topology.scaling.perBot ? `${context.bots} bots × ${n} shards` : `${n} shards`;
    const what = topology.what.startsWith("not in") ? topology.what : objects;
    for (const scenario of context.scenarios) {
      const total = peakRate(scenario, requests) * share;
      const allowed = requestLimit * headroom;
      lines.push(line("object", key, key, what, n, "requests/s per object", scenario.name, total / n, "requests/s", requestLimit, headroom, neededFor(total, allowed)));
    }
    // An object runs one call at a time (Cloudflare: "each individual Object is inherently single-threaded"): its
    // active time, CPU and storage waits together, cannot pass one second per second. An upper bound on its CPU.
    const busy = peakRate(steadyScenario, (sample) => sample.durable_objects[key]?.active_ms ?? 0) * share;
    if (busy > 0) {
      lines.push(line("object", key, key, what, n, "busy ms per second per object (active time)", "steady", busy / n, "ms/s", MS_PER_SECOND, headroom, neededFor(busy, MS_PER_SECOND * headroom)));
    }
    if (topology.storage === "retained") {
      const kept = averageRate(storedPerMessage) * retentionSeconds * share;
      lines.push(line("object", key, key, what, n, `bytes stored per object (${inputs.retentionDays} days kept)`, "steady", kept / n, "bytes", storageLimit, headroom, neededFor(kept, storageLimit * headroom)));
    } else if (topology.storage === "bounded") {
      const largest = costs.per_turn.durable_objects[key]?.largest_object_bytes ?? 0;
      lines.push(line("object", key, null, what, n, "bytes stored per object (does not grow with traffic)", "steady", largest, "bytes", storageLimit, headroom, null));
    }
  }

  // ---- queue families: the turn stages per jurisdiction, the others once
  const queueLimit = f("queues.messages_per_second_per_queue_limit");
  const consumerLimit = f("queues.concurrent_consumers_per_queue_limit");
  for (const family of keysOf(costs.per_turn.queues, created.queues, failed?.queues)) {
    if (family === DEAD_LETTER_QUEUES_KEY) continue; // one per shard of its source: checked with the source
    const perGroup = TURN_STAGE_FAMILIES.includes(family);
    const sets = perGroup ? groups.map((group) => ({ key: context.layoutKey(family, group.jurisdiction), among: [group] })) : [{ key: family, among: groups }];
    const wallMs = (sample: TurnCostSample) => {
      const queue = sample.queues[family];
      return queue && queue.reads > 0 ? (queue.wall_ms_per_invocation * queue.consumer_invocations) / queue.reads : 0;
    };
    const steadyWallMs = wallMs(overall({ name: "steady", failedShare: 0 }));
    for (const { key, among } of sets) {
      const n = shardsOf("queue", key);
      const objects = `${n} queue${n === 1 ? "" : "s"}`;
      for (const scenario of context.scenarios) {
        const writes = peakRate(scenario, (sample) => sample.queues[family]?.writes ?? 0, among);
        lines.push(line("queue", key, key, objects, n, "messages/s per queue", scenario.name, writes / n, "messages/s", queueLimit, headroom, neededFor(writes, queueLimit * headroom)));
        const busy = (peakRate(scenario, (sample) => sample.queues[family]?.reads ?? 0, among) * steadyWallMs) / 1000;
        if (busy > 0) {
          lines.push(line("queue", key, key, objects, n, "concurrent consumer invocations per queue", scenario.name, busy / n, "invocations", consumerLimit, headroom, neededFor(busy, consumerLimit * headroom)));
        }
        const deadLetters = peakRate(scenario, (sample) => sample.queues[family]?.dead_letters ?? 0, among);
        if (deadLetters > 0) {
          lines.push(line("queue", key, key, objects, n, "messages/s per dead-letter queue (one per shard)", scenario.name, deadLetters / n, "messages/s", queueLimit, headroom, neededFor(deadLetters, queueLimit * headroom)));
        }
      }
    }
    const largest = Math.max(...[costs.per_turn, created, failed].map((sample) => sample?.queues[family]?.largest_message_bytes ?? 0));
    if (largest > 0) {
      lines.push(line("queue", family, null, "every queue", null, "bytes per message (largest seen, metadata included)", "steady", largest + f("queues.metadata_bytes_per_message"), "bytes", f("queues.max_message_bytes_limit"), 1, null));
    }
  }
  return lines;
}

function line(
  kind: CapacityLine["kind"],
  subject: string,
  shardKey: string | null,
  objects: string,
  shards: number | null,
  check: string,
  scenario: Scenario["name"],
  load: number,
  unit: string,
  limit: number,
  headroom: number,
  shardsNeeded: number | null,
): CapacityLine {
  const allowed = limit * headroom;
  return { kind, subject, shardKey, objects, shards, check, scenario, load, unit, limit, allowed, ok: load <= allowed + 1e-9, shardsNeeded };
}

/** `(1 − share) × steady + share × failed`, field by field. */
function blend(steady: TurnCostSample, failed: TurnCostSample, share: number): TurnCostSample {
  return weightedSample([
    [steady, 1 - share],
    [failed, share],
  ]);
}
