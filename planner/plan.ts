// The capacity plan: for a traffic, the cheapest configuration (queue shards per family, shards per
// sharded Durable Object class, the turn queues' consumer batch size and timeout, hibernation,
// queue retention) that keeps every Cloudflare limit and the latency SLO, and what it costs. Each
// object class and each queue family is checked against Cloudflare's per-object and per-queue
// limits (capacity.ts); costs come from cost-model.ts; limits from the price file.
import type { LatencyResult, PlanInputs, PriceBook, PriceFigureName, TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";
import { capacityLines, type CapacityContext, type CapacityLine, type Scenario, type ShardAssignment } from "./capacity.ts";
import { weightedSample } from "./samples.ts";
import { expectedBatchSize, figure, monthlyCost, monthlyUsage, type ConsumerSettings, type MonthlyCost, type MonthlyUsage, type QueueLayout, type TrafficGroup, type Workload } from "./cost-model.ts";
import { queueGroup, type Deployment } from "./deployment.ts";
import { TURN_STAGE_FAMILIES, objectClassTopology } from "./topology.ts";

export const BATCH_SIZES = [1, 10, 25, 50, 100] as const;
export const BATCH_TIMEOUTS_SECONDS = [0, 1, 2, 5, 10, 30, 60] as const;

export interface StagePlan {
  shards: number;
  consumer: ConsumerSettings;
  expectedBatchSize: number;
  peakMessagesPerSecondPerShard: number;
  /** Consumer invocations running at once on one shard at peak (Little's law: rate × duration). */
  peakConcurrencyPerShard: number;
  /** Longest a message waits for its batch to fill (ms). */
  batchWaitMs: number;
  /** How long a shard whose consumer stopped can take messages before its backlog is full (hours). */
  stalledShardHoursUntilFull: number;
}

export interface GroupPlan {
  jurisdiction: string;
  bots: string[];
  messagesPerSecond: number;
  peakMessagesPerSecond: number;
  /** The turn queues (intent, dialogue …), per family. */
  stages: Record<string, StagePlan>;
  latencyP99Ms: number;
}

export interface LimitCheck {
  limit: string;
  planned: number;
  allowed: number;
  ok: boolean;
}

export interface Plan {
  inputs: PlanInputs;
  groups: GroupPlan[];
  hibernation: boolean;
  /** Cost of the same plan without hibernation: what the knob saves. */
  costWithoutHibernation: number;
  queueRetentionDays: number;
  usage: MonthlyUsage;
  cost: MonthlyCost;
  /** Account- and invocation-wide limits. */
  limits: LimitCheck[];
  /** Every object class and queue family against its per-object or per-queue limits, at the planned shards. */
  capacity: CapacityLine[];
  /** Shards the plan gives each sharded class and queue group (the fewest that keep every line ok). */
  shards: ShardAssignment;
  /** Consumer settings per queue group (turn stages chosen by the plan, the others as configured). */
  consumers: Record<string, ConsumerSettings>;
  /** What no shard count can fix (a line over that has no shards, a broken account limit): the plan cannot be deployed as is. */
  problems: string[];
  /** The fastest one conversation may be written to before its object reaches its request limit. */
  maxMessagesPerSecondPerConversation: number;
  /** The capacity context, to check another shard assignment against the same traffic (checkShards). */
  context: CapacityContext;
}

export class PlanError extends Error {}

type Sample = TurnCostSample;

export { weightedSample };

/** Traffic groups: one per jurisdiction in use, each with its bots' mixed per-message cost. */
function trafficGroups(inputs: PlanInputs, costs: TurnCostResult): Array<TrafficGroup & { bots: string[] }> {
  const mix = Object.keys(inputs.botMix).length > 0 ? inputs.botMix : null;
  if (!mix) {
    if (Object.keys(inputs.residency).length > 0) throw new PlanError("--residency needs --bot-mix: which share of the traffic each bot has");
    return [{ jurisdiction: "global", bots: Object.keys(costs.per_bot), messagesPerSecond: inputs.messagesPerSecond, peakMessagesPerSecond: inputs.peakMessagesPerSecond, perTurn: costs.per_turn }];
  }
  for (const bot of Object.keys(mix)) {
    if (!costs.per_bot[bot]) throw new PlanError(`bot "${bot}" has no measured cost; measured: ${Object.keys(costs.per_bot).join(", ")}`);
  }
  for (const bot of Object.keys(inputs.residency)) if (!(bot in mix)) throw new PlanError(`--residency names bot "${bot}", which is not in --bot-mix`);
  const totalShare = Object.values(mix).reduce((a, b) => a + b, 0);
  const byJurisdiction = new Map<string, string[]>();
  for (const bot of Object.keys(mix)) {
    const jurisdiction = inputs.residency[bot] ?? "global";
    byJurisdiction.set(jurisdiction, [...(byJurisdiction.get(jurisdiction) ?? []), bot]);
  }
  return [...byJurisdiction].map(([jurisdiction, bots]) => {
    const share = bots.reduce((sum, bot) => sum + (mix[bot] ?? 0), 0) / totalShare;
    return {
      jurisdiction,
      bots,
      messagesPerSecond: inputs.messagesPerSecond * share,
      peakMessagesPerSecond: inputs.peakMessagesPerSecond * share,
      perTurn: weightedSample(bots.map((bot) => [costs.per_bot[bot]!, mix[bot] ?? 0] as const)),
    };
  });
}

/** The queue layout key of a family's queues in a group: turn stages per jurisdiction, the other families once. */
export const layoutKey = (family: string, jurisdiction: string): string => (TURN_STAGE_FAMILIES.includes(family) ? queueGroup(family, jurisdiction) : family);

/** Wall-clock milliseconds a consumer spends per message (what holds a concurrency slot). */
export function wallMsPerMessage(turn: Sample, family: string): number {
  const queue = turn.queues[family];
  return queue && queue.reads > 0 ? (queue.wall_ms_per_invocation * queue.consumer_invocations) / queue.reads : 0;
}

function batchWaitMs(consumer: ConsumerSettings, messagesPerSecondPerShard: number): number {
  if (consumer.maxBatchTimeoutSeconds === 0) return 0;
  const fillSeconds = messagesPerSecondPerShard > 0 ? (consumer.maxBatchSize - 1) / messagesPerSecondPerShard : Infinity;
  return 1000 * Math.min(consumer.maxBatchTimeoutSeconds, fillSeconds);
}

function consumerCandidates(prices: PriceBook): ConsumerSettings[] {
  const candidates: ConsumerSettings[] = [];
  for (const maxBatchSize of BATCH_SIZES) {
    if (maxBatchSize > figure(prices, "queues.max_batch_size_limit")) continue;
    for (const maxBatchTimeoutSeconds of BATCH_TIMEOUTS_SECONDS) {
      if (maxBatchTimeoutSeconds > figure(prices, "queues.max_batch_timeout_seconds_limit")) continue;
      candidates.push({ maxBatchSize, maxBatchTimeoutSeconds });
    }
  }
  return candidates;
}

/**
 * The turn stages' consumer settings that need the fewest consumer invocations (the only part of
 * the bill batching changes) while the batches' waits, added up along the turn, fit in the latency budget.
 */
function cheapestConsumers(group: TrafficGroup, shards: (family: string) => number, budgetMs: number, prices: PriceBook): Record<string, ConsumerSettings> {
  const stages = TURN_STAGE_FAMILIES;
  const options = stages.map((family) => {
    const queue = group.perTurn.queues[family];
    const perShard = (group.messagesPerSecond * (queue?.writes ?? 0)) / shards(family);
    return consumerCandidates(prices).map((consumer) => ({
      consumer,
      invocations: (queue?.reads ?? 0) / expectedBatchSize(consumer, perShard),
      waitMs: batchWaitMs(consumer, perShard),
    }));
  });
  let best: { pick: ConsumerSettings[]; invocations: number; waitMs: number } | undefined;
  const search = (stage: number, pick: ConsumerSettings[], invocations: number, waitMs: number) => {
    if (waitMs > budgetMs) return;
    if (stage === options.length) {
      const better = !best || invocations < best.invocations - 1e-12 || (Math.abs(invocations - best.invocations) <= 1e-12 && waitMs < best.waitMs);
      if (better) best = { pick, invocations, waitMs };
      return;
    }
    for (const option of options[stage]!) search(stage + 1, [...pick, option.consumer], invocations + option.invocations, waitMs + option.waitMs);
  };
  search(0, [], 0, 0);
  if (!best) throw new PlanError("no consumer settings fit the latency budget"); // timeout 0 always fits a non-negative budget
  const chosen = best as { pick: ConsumerSettings[] };
  return Object.fromEntries(stages.map((family, i) => [family, chosen.pick[i]!]));
}

/** The capacity lines at another shard assignment (a deployment's configured counts), for the same traffic. */
export function checkShards(plan: Plan, shards: ShardAssignment): CapacityLine[] {
  return capacityLines(plan.context, shards);
}

export function plan(inputs: PlanInputs, costs: TurnCostResult, latency: LatencyResult, prices: PriceBook, deployment: Deployment): Plan {
  const budgetMs = inputs.latencySloMs - latency.p99_ms;
  if (budgetMs < 0) {
    throw new PlanError(`the latency SLO (${inputs.latencySloMs} ms) is below the measured p99 round trip (${latency.p99_ms} ms)`);
  }
  const f = (name: PriceFigureName) => figure(prices, name);
  const groups = trafficGroups(inputs, costs);
  const bots = Object.keys(inputs.botMix).length > 0 ? inputs.botMix : Object.fromEntries(Object.keys(costs.per_bot).map((bot) => [bot, 1]));
  const botShares = Object.values(bots);
  const busiestBotShare = botShares.length > 0 ? Math.max(...botShares) / botShares.reduce((a, b) => a + b, 0) : 1;
  const scenarios: Scenario[] = [{ name: "steady", failedShare: 0 }];
  if (costs.per_failed_turn && inputs.outageShare > 0) scenarios.push({ name: "outage", failedShare: inputs.outageShare });

  const context: CapacityContext = {
    inputs,
    costs,
    prices,
    groups,
    layoutKey,
    busiestBotShare,
    bots: botShares.length,
    scenarios,
  };
  // Every line's need is computed from the traffic alone; the plan gives each key the most any of its lines needs.
  const shards: ShardAssignment = { objects: {}, queues: {} };
  for (const line of capacityLines(context, () => 1)) {
    if (line.shardKey === null || line.shardsNeeded === null) continue;
    const record = line.kind === "object" ? shards.objects : shards.queues;
    record[line.shardKey] = Math.max(record[line.shardKey] ?? 1, line.shardsNeeded);
  }
  const shardsOf = (key: string) => shards.queues[key] ?? 1;
  const capacity = capacityLines(context, shards);

  // Consumers: the turn stages' chosen per group; every other family as the deployment consumes it.
  const consumers: Record<string, ConsumerSettings> = { ...deployment.consumers };
  const groupPlans: GroupPlan[] = [];
  for (const group of groups) {
    const chosen = cheapestConsumers(group, (family) => shardsOf(layoutKey(family, group.jurisdiction)), budgetMs, prices);
    const stages: Record<string, StagePlan> = {};
    for (const family of TURN_STAGE_FAMILIES) {
      const key = layoutKey(family, group.jurisdiction);
      consumers[key] = chosen[family]!;
      const queue = group.perTurn.queues[family];
      const writes = queue?.writes ?? 0;
      const averagePerShard = (group.messagesPerSecond * writes) / shardsOf(key);
      const peakPerShard = (group.peakMessagesPerSecond * writes) / shardsOf(key);
      const backlogBytesPerSecond = peakPerShard * ((queue?.message_bytes ?? 0) + f("queues.metadata_bytes_per_message"));
      stages[family] = {
        shards: shardsOf(key),
        consumer: chosen[family]!,
        expectedBatchSize: expectedBatchSize(chosen[family]!, averagePerShard),
        peakMessagesPerSecondPerShard: peakPerShard,
        peakConcurrencyPerShard: (((group.peakMessagesPerSecond * (queue?.reads ?? 0)) / shardsOf(key)) * wallMsPerMessage(group.perTurn, family)) / 1000,
        batchWaitMs: batchWaitMs(chosen[family]!, averagePerShard),
        stalledShardHoursUntilFull: backlogBytesPerSecond > 0 ? f("queues.backlog_bytes_per_queue_limit") / backlogBytesPerSecond / 3600 : Infinity,
      };
    }
    groupPlans.push({
      jurisdiction: group.jurisdiction,
      bots: group.bots,
      messagesPerSecond: group.messagesPerSecond,
      peakMessagesPerSecond: group.peakMessagesPerSecond,
      stages,
      latencyP99Ms: latency.p99_ms + Object.values(stages).reduce((sum, stage) => sum + stage.batchWaitMs, 0),
    });
  }

  const objectsPerClass = Object.fromEntries(
    Object.keys(costs.per_turn.durable_objects).map((key) => {
      const scaling = objectClassTopology(key).scaling;
      return [key, scaling.kind === "sharded" ? (shards.objects[key] ?? 1) * (scaling.perBot ? Math.max(1, botShares.length) : 1) : 1];
    }),
  );
  const layout: QueueLayout = { shards: shards.queues, consumers };
  const workload = (hibernation: boolean): Workload => ({
    messagesPerConversation: inputs.messagesPerConversation,
    conversationMinutes: inputs.conversationMinutes,
    retentionDays: inputs.retentionDays,
    websocketShare: inputs.websocketShare,
    hibernation,
    objectsPerClass,
  });
  const withHibernation = monthlyUsage(groups, layout, layoutKey, workload(true), costs, prices);
  const without = monthlyCost(monthlyUsage(groups, layout, layoutKey, workload(false), costs, prices), prices);
  const cost = monthlyCost(withHibernation, prices);
  const hibernation = cost.total <= without.total;

  const turn = costs.per_turn;
  const conversationRequests = turn.durable_objects.conversation?.requests ?? 0;
  const maxMessagesPerSecondPerConversation = f("durable_objects.requests_per_second_per_object_limit") / Math.max(conversationRequests, 1e-9);
  const maxOf = (values: number[]) => Math.max(0, ...values);
  const largestBatch = maxOf(Object.values(groupPlans).flatMap((group) => Object.values(group.stages).map((stage) => stage.consumer.maxBatchSize)));
  // Every queue shard, and one dead-letter queue per shard of a family whose consumers dead-letter.
  const queueCount = Object.entries(shards.queues).reduce((sum, [key, n]) => sum + n * (deployment.deadLettered.includes(key.split(" ")[0]!) ? 2 : 1), 0);
  const limits: LimitCheck[] = [
    { limit: "queues per account (shards and their dead-letter queues)", planned: queueCount, allowed: f("queues.queues_per_account_limit") },
    {
      limit: "subrequests per turn-stage consumer invocation",
      planned: largestBatch * maxOf(TURN_STAGE_FAMILIES.map((family) => (turn.workers[family]?.subrequests ?? 0) / Math.max(turn.queues[family]?.reads ?? 1, 1e-9))),
      allowed: f("workers.subrequests_per_invocation_limit"),
    },
    {
      limit: "CPU ms per turn-stage consumer invocation",
      planned: largestBatch * maxOf(TURN_STAGE_FAMILIES.map((family) => (turn.workers[family]?.cpu_ms ?? 0) / Math.max(turn.queues[family]?.reads ?? 1, 1e-9))),
      allowed: f("workers.cpu_ms_per_invocation_limit"),
    },
  ].map((check) => ({ ...check, ok: check.planned <= check.allowed }));
  const problems = [
    ...limits.filter((check) => !check.ok).map((check) => `${check.limit}: ${check.planned.toFixed(2)} of ${check.allowed}`),
    ...capacity.filter((line) => !line.ok && line.shardsNeeded === null).map((line) => `${line.subject}, ${line.check}: ${line.load.toFixed(2)} of ${line.allowed.toFixed(2)} allowed (${line.scenario}); no shard count changes it`),
  ];

  return {
    inputs,
    groups: groupPlans,
    hibernation,
    costWithoutHibernation: without.total,
    // Queues bill operations, not storage: the longest retention gives a stalled consumer the most time.
    queueRetentionDays: f("queues.max_retention_days_limit"),
    usage: withHibernation,
    cost,
    limits,
    capacity,
    shards,
    consumers,
    problems,
    maxMessagesPerSecondPerConversation,
    context,
  };
}
