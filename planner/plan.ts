// The capacity plan: for a traffic, the cheapest configuration (queue shards per stage, consumer
// batch size and timeout, hibernation, queue retention) that keeps every Cloudflare limit and the
// latency SLO, and what it costs. Costs come from cost-model.ts; limits from the price file.
import type { LatencyResult, PlanInputs, PriceBook, PriceFigureName, TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";
import {
  STAGES,
  expectedBatchSize,
  figure,
  monthlyCost,
  monthlyUsage,
  type ConsumerSettings,
  type MonthlyCost,
  type MonthlyUsage,
  type Stage,
  type TrafficGroup,
  type Workload,
} from "./cost-model.ts";

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
  stages: Record<Stage, StagePlan>;
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
  limits: LimitCheck[];
  /** The fastest one conversation may be written to before its object reaches its request limit. */
  maxMessagesPerSecondPerConversation: number;
}

export class PlanError extends Error {}

type Sample = TurnCostSample;

/** Bot samples averaged by weight, field by field (every field of a sample is a per-message mean). */
export function weightedSample(parts: ReadonlyArray<readonly [Sample, number]>): Sample {
  const total = parts.reduce((sum, [, weight]) => sum + weight, 0);
  const average = (pick: (sample: Sample) => unknown): unknown => {
    const first = pick(parts[0]![0]);
    if (typeof first === "number") return parts.reduce((sum, [sample, weight]) => sum + (pick(sample) as number) * weight, 0) / total;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first as object)) out[key] = average((sample) => (pick(sample) as Record<string, unknown>)[key]);
    return out;
  };
  return average((sample) => sample) as Sample;
}

/** Traffic groups: one per jurisdiction in use, each with its bots' mixed per-turn cost. */
function trafficGroups(inputs: PlanInputs, costs: TurnCostResult): Array<Omit<TrafficGroup, "shards" | "consumers"> & { bots: string[] }> {
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

/** Wall-clock milliseconds a consumer spends per message (what holds a concurrency slot). */
function wallMsPerMessage(turn: Sample, stage: Stage): number {
  const reads = turn.queues[stage].reads;
  return reads > 0 ? (turn[stage].wall_ms_per_invocation * turn[stage].invocations) / reads : 0;
}

/** Fewest shards that keep one stage's queues under the throughput and consumer-concurrency limits. */
export function shardsNeeded(peakMessagesPerSecond: number, turn: Sample, stage: Stage, prices: PriceBook, headroom: number): number {
  const throughput = (peakMessagesPerSecond * turn.queues[stage].writes) / (figure(prices, "queues.messages_per_second_per_queue_limit") * headroom);
  const concurrency =
    ((peakMessagesPerSecond * turn.queues[stage].reads * wallMsPerMessage(turn, stage)) / 1000) /
    (figure(prices, "queues.concurrent_consumers_per_queue_limit") * headroom);
  return Math.max(1, Math.ceil(throughput - 1e-9), Math.ceil(concurrency - 1e-9));
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
 * The consumer settings of both stages that need the fewest consumer invocations (the only part of
 * the bill batching changes) while the batches' waits fit in the latency budget.
 */
function cheapestConsumers(
  group: { messagesPerSecond: number; perTurn: Sample },
  shards: Record<Stage, number>,
  budgetMs: number,
  prices: PriceBook,
): Record<Stage, ConsumerSettings> {
  const options = STAGES.map((stage) => {
    const perShard = (group.messagesPerSecond * group.perTurn.queues[stage].writes) / shards[stage];
    return consumerCandidates(prices).map((consumer) => ({
      consumer,
      invocations: group.perTurn.queues[stage].reads / expectedBatchSize(consumer, perShard),
      waitMs: batchWaitMs(consumer, perShard),
    }));
  });
  let best: { pick: [ConsumerSettings, ConsumerSettings]; invocations: number; waitMs: number } | undefined;
  for (const intent of options[0]!) {
    for (const dialogue of options[1]!) {
      const waitMs = intent.waitMs + dialogue.waitMs;
      if (waitMs > budgetMs) continue;
      const invocations = intent.invocations + dialogue.invocations;
      const better =
        !best ||
        invocations < best.invocations - 1e-12 ||
        (Math.abs(invocations - best.invocations) <= 1e-12 && waitMs < best.waitMs);
      if (better) best = { pick: [intent.consumer, dialogue.consumer], invocations, waitMs };
    }
  }
  if (!best) throw new PlanError("no consumer settings fit the latency budget"); // timeout 0 always fits a non-negative budget
  return { intent: best.pick[0], dialogue: best.pick[1] };
}

export function plan(inputs: PlanInputs, costs: TurnCostResult, latency: LatencyResult, prices: PriceBook): Plan {
  const budgetMs = inputs.latencySloMs - latency.p99_ms;
  if (budgetMs < 0) {
    throw new PlanError(`the latency SLO (${inputs.latencySloMs} ms) is below the measured p99 round trip (${latency.p99_ms} ms)`);
  }
  const f = (name: PriceFigureName) => figure(prices, name);

  const groups: TrafficGroup[] = [];
  const groupPlans: GroupPlan[] = [];
  for (const group of trafficGroups(inputs, costs)) {
    const shards = {
      intent: shardsNeeded(group.peakMessagesPerSecond, group.perTurn, "intent", prices, inputs.headroom),
      dialogue: shardsNeeded(group.peakMessagesPerSecond, group.perTurn, "dialogue", prices, inputs.headroom),
    };
    const consumers = cheapestConsumers(group, shards, budgetMs, prices);
    groups.push({ ...group, shards, consumers });
    const stagePlan = (stage: Stage): StagePlan => {
      const queue = group.perTurn.queues[stage];
      const averagePerShard = (group.messagesPerSecond * queue.writes) / shards[stage];
      const peakPerShard = (group.peakMessagesPerSecond * queue.writes) / shards[stage];
      const backlogBytesPerSecond = peakPerShard * (queue.message_bytes + f("queues.metadata_bytes_per_message"));
      return {
        shards: shards[stage],
        consumer: consumers[stage],
        expectedBatchSize: expectedBatchSize(consumers[stage], averagePerShard),
        peakMessagesPerSecondPerShard: peakPerShard,
        peakConcurrencyPerShard: (((group.peakMessagesPerSecond * queue.reads) / shards[stage]) * wallMsPerMessage(group.perTurn, stage)) / 1000,
        batchWaitMs: batchWaitMs(consumers[stage], averagePerShard),
        stalledShardHoursUntilFull: backlogBytesPerSecond > 0 ? f("queues.backlog_bytes_per_queue_limit") / backlogBytesPerSecond / 3600 : Infinity,
      };
    };
    const stages = { intent: stagePlan("intent"), dialogue: stagePlan("dialogue") };
    groupPlans.push({
      jurisdiction: group.jurisdiction,
      bots: group.bots,
      messagesPerSecond: group.messagesPerSecond,
      peakMessagesPerSecond: group.peakMessagesPerSecond,
      stages,
      latencyP99Ms: latency.p99_ms + stages.intent.batchWaitMs + stages.dialogue.batchWaitMs,
    });
  }

  const workload = (hibernation: boolean): Workload => ({
    messagesPerConversation: inputs.messagesPerConversation,
    conversationMinutes: inputs.conversationMinutes,
    retentionDays: inputs.retentionDays,
    websocketShare: inputs.websocketShare,
    hibernation,
  });
  const withHibernation = monthlyUsage(groups, workload(true), costs, prices);
  const without = monthlyCost(monthlyUsage(groups, workload(false), costs, prices), prices);
  const cost = monthlyCost(withHibernation, prices);
  const hibernation = cost.total <= without.total;

  const turn = costs.per_turn;
  const maxMessagesPerSecondPerConversation = f("durable_objects.requests_per_second_per_object_limit") / Math.max(turn.conversation_do.requests, 1e-9);
  const busiestConversation = inputs.messagesPerConversation / (inputs.conversationMinutes * 60);
  const stagesOf = groupPlans.flatMap((group) => STAGES.map((stage) => ({ group, stage, plan: group.stages[stage] })));
  const maxOf = (values: number[]) => Math.max(0, ...values);
  const largestBatch = maxOf(stagesOf.map(({ plan }) => plan.consumer.maxBatchSize));
  const limits: LimitCheck[] = [
    {
      limit: "messages per second per queue",
      planned: maxOf(stagesOf.map(({ plan }) => plan.peakMessagesPerSecondPerShard)),
      allowed: f("queues.messages_per_second_per_queue_limit"),
    },
    {
      limit: "concurrent consumers per queue",
      planned: maxOf(stagesOf.map(({ plan }) => plan.peakConcurrencyPerShard)),
      allowed: f("queues.concurrent_consumers_per_queue_limit"),
    },
    {
      limit: "queues per account (shards and their dead-letter queues)",
      planned: stagesOf.reduce((sum, { plan }) => sum + 2 * plan.shards, 0),
      allowed: f("queues.queues_per_account_limit"),
    },
    {
      limit: "bytes per queue message",
      planned: maxOf(STAGES.map((stage) => turn.queues[stage].message_bytes + f("queues.metadata_bytes_per_message"))),
      allowed: f("queues.max_message_bytes_limit"),
    },
    {
      limit: "requests per second to one conversation object",
      planned: busiestConversation * turn.conversation_do.requests,
      allowed: f("durable_objects.requests_per_second_per_object_limit"),
    },
    {
      limit: "subrequests per consumer invocation",
      planned: largestBatch * maxOf(STAGES.map((stage) => turn[stage].subrequests)),
      allowed: f("workers.subrequests_per_invocation_limit"),
    },
    {
      limit: "CPU ms per consumer invocation",
      planned: largestBatch * maxOf(STAGES.map((stage) => turn[stage].cpu_ms)),
      allowed: f("workers.cpu_ms_per_invocation_limit"),
    },
    {
      limit: "bytes stored per conversation object",
      planned: costs.per_conversation.stored_bytes + inputs.messagesPerConversation * turn.stored_bytes,
      allowed: f("durable_objects.storage_per_object_limit_bytes"),
    },
  ].map((check) => ({ ...check, ok: check.planned <= check.allowed }));
  const broken = limits.filter((check) => !check.ok);
  if (broken.length > 0) throw new PlanError(`no configuration keeps every limit: ${broken.map((check) => check.limit).join("; ")}`);

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
    maxMessagesPerSecondPerConversation,
  };
}
