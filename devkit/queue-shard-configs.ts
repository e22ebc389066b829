// Queue shards in the Workers' configs: the check that all three agree on each stage's shard count
// (run by `npm run check`), and the configs of a local stack with another shard count (the dev
// stack and the tests run 2 per stage; the resize test changes it between two runs).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  QUEUE_STAGES,
  REPORT_QUEUES,
  deadLetterQueueName,
  reportBindingName,
  reportBindingPrefix,
  reportQueueName,
  type ReportQueue,
  shardBindingName,
  shardBindingPrefix,
  shardQueueName,
  type QueueGroup,
  type QueueStage,
} from "../shared/queue-shards.ts";
import {
  CHANNEL_OUTBOUND_MAX_RETRIES,
  channelOutboundBindingName,
  channelOutboundBindingPrefix,
  channelOutboundQueueName,
  channelOutboundQueueOf,
} from "../shared/channel-outbound-queue.ts";
import { JURISDICTIONS } from "../shared/schemas/residency.ts";
import { WORKERS, asDevBuild, readWorkerConfig, writeWorkerConfigs, type WorkerConfig, type WorkerName } from "./worker-configs.ts";

export type WorkerConfigs = Record<WorkerName, WorkerConfig>;
export type ShardCounts = Record<QueueStage, number>;

interface Producer {
  binding: string;
  queue: string;
}
interface Consumer {
  queue: string;
  dead_letter_queue?: string;
  [setting: string]: unknown;
}

/** Who sends to each stage's queues and who consumes them. */
const STAGE_WORKERS: Record<QueueStage, { producer: WorkerName; consumer: WorkerName }> = {
  intent: { producer: "gateway", consumer: "intent" },
  dialogue: { producer: "intent", consumer: "dialogue" },
};
/** The gateway consumes every shard's dead-letter queue. */
const DEAD_LETTER_CONSUMER: WorkerName = "gateway";

/** Who sends each report queue's messages; the gateway consumes them all. */
const REPORT_PRODUCERS: Record<ReportQueue, WorkerName[]> = {
  analytics: ["gateway", "dialogue"],
  "turn-failures": ["intent", "dialogue"],
};
const REPORT_CONSUMER: WorkerName = "gateway";
const isReportBinding = (queue: ReportQueue, binding: string) => new RegExp(`^${reportBindingPrefix(queue)}_\\d+$`).test(binding);
const isReportQueue = (queue: ReportQueue, name: string) => new RegExp(`^stratus-${queue}(-\\d+)?$`).test(name);

const queuesOf = (config: WorkerConfig) => (config.queues ?? {}) as { producers?: Producer[]; consumers?: Consumer[] };
const shardPattern = (stage: QueueStage, group: QueueGroup) => new RegExp(`^stratus-${stage}${group ? `-${group}` : ""}(-(\\d+))?$`);
const isShardQueue = (stage: QueueStage, group: QueueGroup, queue: string) => shardPattern(stage, group).test(queue);
const isShardDeadLetterQueue = (stage: QueueStage, group: QueueGroup, queue: string) =>
  queue.endsWith("-dlq") && isShardQueue(stage, group, queue.slice(0, -4));
const isShardBinding = (stage: QueueStage, group: QueueGroup, binding: string) => new RegExp(`^${shardBindingPrefix(stage, group)}_\\d+$`).test(binding);
const groupName = (group: QueueGroup) => (group ? `${group} queues` : "queues");

/** The groups a stage's producer config has bindings for: the unrestricted one, and each jurisdiction's. */
function groupsIn(configs: WorkerConfigs, stage: QueueStage): QueueGroup[] {
  const bindings = (queuesOf(configs[STAGE_WORKERS[stage].producer]).producers ?? []).map((p) => p.binding);
  return [undefined, ...JURISDICTIONS.filter((jurisdiction) => bindings.some((binding) => isShardBinding(stage, jurisdiction, binding)))];
}

/**
 * Everything on which the configs disagree about queue shards, one sentence each: for each group of
 * queues (the unrestricted one, and each jurisdiction's) the stage's producer has a binding for
 * shards 0 … N-1 and nothing else, its consumer consumes exactly those N queues, each with its own
 * dead-letter queue, and the gateway consumes every one of those. Every jurisdiction in `required`
 * (the bots' residencies) has queues of its own in every stage.
 */
export function queueShardProblems(
  configs: WorkerConfigs,
  files: Record<WorkerName, string> = WORKERS,
  required: readonly QueueGroup[] = [],
): string[] {
  const problems: string[] = [];
  for (const stage of QUEUE_STAGES) {
    const groups = groupsIn(configs, stage);
    for (const group of required) {
      if (!groups.includes(group)) {
        problems.push(`${stage} stage: a bot keeps its conversations in "${group}" but ${files[STAGE_WORKERS[stage].producer]} has no ${shardBindingName(stage, 0, group)} producer binding (docs/scaling.md, "Data residency")`);
      }
    }
    for (const group of groups) problems.push(...groupProblems(configs, files, stage, group));
  }
  for (const queue of REPORT_QUEUES) problems.push(...reportQueueProblems(configs, files, queue));
  problems.push(...channelOutboundProblems(configs, files, required));
  return problems;
}

/** The gateway both produces and consumes the outbound channel queues (shared/channel-outbound-queue.ts). */
const CHANNEL_OUTBOUND_WORKER: WorkerName = "gateway";

/**
 * The outbound channel queues agree: for the unrestricted group and each jurisdiction's (every
 * jurisdiction a bot keeps its conversations in has one), the gateway binds shards 0 … N-1, each to
 * its queue, and consumes exactly those queues with their dead-letter queue and the sender's
 * max_retries, and every dead-letter queue too.
 */
function channelOutboundProblems(configs: WorkerConfigs, files: Record<WorkerName, string>, required: readonly QueueGroup[]): string[] {
  const problems: string[] = [];
  const file = files[CHANNEL_OUTBOUND_WORKER];
  const { producers = [], consumers = [] } = queuesOf(configs[CHANNEL_OUTBOUND_WORKER]);
  const groups: QueueGroup[] = [undefined, ...JURISDICTIONS.filter((jurisdiction) => producers.some((p) => p.binding === channelOutboundBindingName(0, jurisdiction)))];
  for (const group of required) {
    if (!groups.includes(group)) problems.push(`channel outbound queue: a bot keeps its conversations in "${group}" but ${file} has no ${channelOutboundBindingName(0, group)} producer binding`);
  }
  const expected = new Set<string>();
  for (const group of groups) {
    const label = group ? `channel outbound queue (${group})` : "channel outbound queue";
    const bindings = producers.filter((p) => new RegExp(`^${channelOutboundBindingPrefix(group)}_\\d+$`).test(p.binding));
    if (bindings.length === 0) problems.push(`${label}: ${file} has no ${channelOutboundBindingName(0, group)} producer binding`);
    for (let shard = 0; shard < bindings.length; shard++) {
      const binding = bindings.find((p) => p.binding === channelOutboundBindingName(shard, group));
      const queue = channelOutboundQueueName(shard, group);
      expected.add(queue);
      if (!binding) problems.push(`${label}: ${file} has ${bindings.length} shard bindings but none named ${channelOutboundBindingName(shard, group)}`);
      else if (binding.queue !== queue) problems.push(`${label}: ${file} binds ${binding.binding} to "${binding.queue}", not "${queue}"`);
      const consumer = consumers.find((c) => c.queue === queue);
      if (!consumer) problems.push(`${label}: "${queue}" is sent to but ${file} does not consume it`);
      else {
        if (consumer.dead_letter_queue !== deadLetterQueueName(queue)) problems.push(`${label}: ${file} consumes "${queue}" with dead_letter_queue "${consumer.dead_letter_queue ?? "(none)"}", not "${deadLetterQueueName(queue)}"`);
        if (consumer.max_retries !== CHANNEL_OUTBOUND_MAX_RETRIES) problems.push(`${label}: ${file} consumes "${queue}" with max_retries ${typeof consumer.max_retries === "number" ? consumer.max_retries : "(default 3)"}, not ${CHANNEL_OUTBOUND_MAX_RETRIES} (the sender's budget)`);
      }
      if (!consumers.some((c) => c.queue === deadLetterQueueName(queue))) problems.push(`${label}: ${file} does not consume "${deadLetterQueueName(queue)}", the dead-letter queue of "${queue}"`);
    }
  }
  for (const consumer of consumers) {
    const outbound = channelOutboundQueueOf(consumer.queue);
    const queue = outbound?.deadLetter ? consumer.queue.slice(0, -"-dlq".length) : consumer.queue;
    if (outbound && !expected.has(queue)) problems.push(`channel outbound queue: ${file} consumes "${consumer.queue}" but nobody sends to "${queue}"`);
  }
  return problems;
}

/**
 * A report queue's configs agree: every producer has bindings for shards 0 … N-1 (the same N, each
 * to its shard's queue) and the consumer consumes exactly those queues.
 */
function reportQueueProblems(configs: WorkerConfigs, files: Record<WorkerName, string>, queue: ReportQueue): string[] {
  const problems: string[] = [];
  const counts = REPORT_PRODUCERS[queue].map((worker) => {
    const bindings = (queuesOf(configs[worker]).producers ?? []).filter((p) => isReportBinding(queue, p.binding));
    for (const [shard] of bindings.entries()) {
      const binding = bindings.find((p) => p.binding === reportBindingName(queue, shard));
      if (!binding) problems.push(`${queue} queue: ${files[worker]} has ${bindings.length} shard bindings but none named ${reportBindingName(queue, shard)}`);
      else if (binding.queue !== reportQueueName(queue, shard)) problems.push(`${queue} queue: ${files[worker]} binds ${binding.binding} to "${binding.queue}", not "${reportQueueName(queue, shard)}"`);
    }
    if (bindings.length === 0) problems.push(`${queue} queue: ${files[worker]} has no ${reportBindingName(queue, 0)} producer binding`);
    return bindings.length;
  });
  const shards = Math.max(0, ...counts);
  if (new Set(counts).size > 1) problems.push(`${queue} queue: its producers disagree on the shard count (${REPORT_PRODUCERS[queue].map((w, i) => `${files[w]} ${counts[i]}`).join(", ")})`);
  const expected = new Set(Array.from({ length: shards }, (_, shard) => reportQueueName(queue, shard)));
  const consumed = new Set((queuesOf(configs[REPORT_CONSUMER]).consumers ?? []).map((c) => c.queue).filter((name) => isReportQueue(queue, name)));
  for (const name of expected) if (!consumed.has(name)) problems.push(`${queue} queue: "${name}" is sent to but ${files[REPORT_CONSUMER]} does not consume it`);
  for (const name of consumed) if (!expected.has(name)) problems.push(`${queue} queue: ${files[REPORT_CONSUMER]} consumes "${name}" but nobody sends to it`);
  return problems;
}

function groupProblems(configs: WorkerConfigs, files: Record<WorkerName, string>, stage: QueueStage, group: QueueGroup): string[] {
  const problems: string[] = [];
  const { producer, consumer } = STAGE_WORKERS[stage];
  const label = group ? `${stage} stage (${group})` : `${stage} stage`;
  const producers = (queuesOf(configs[producer]).producers ?? []).filter((p) => isShardBinding(stage, group, p.binding));
  const shards = producers.length;
  if (shards === 0) return [`${label}: ${files[producer]} has no ${shardBindingName(stage, 0, group)} producer binding`];
  for (let shard = 0; shard < shards; shard++) {
    const name = shardBindingName(stage, shard, group);
    const binding = producers.find((p) => p.binding === name);
    if (!binding) problems.push(`${label}: ${files[producer]} has ${shards} shard bindings but none named ${name}`);
    else if (binding.queue !== shardQueueName(stage, shard, group)) {
      problems.push(`${label}: ${files[producer]} binds ${binding.binding} to "${binding.queue}", not "${shardQueueName(stage, shard, group)}"`);
    }
  }
  const expected = new Set(Array.from({ length: shards }, (_, shard) => shardQueueName(stage, shard, group)));
  const consumed = (queuesOf(configs[consumer]).consumers ?? []).filter((c) => isShardQueue(stage, group, c.queue));
  for (const queue of expected) {
    const entry = consumed.find((c) => c.queue === queue);
    if (!entry) problems.push(`${label}: ${files[producer]} sends to "${queue}" but ${files[consumer]} does not consume it`);
    else if (entry.dead_letter_queue !== deadLetterQueueName(queue)) {
      problems.push(`${label}: ${files[consumer]} consumes "${queue}" with dead_letter_queue "${entry.dead_letter_queue ?? "(none)"}", not "${deadLetterQueueName(queue)}"`);
    }
  }
  for (const entry of consumed) {
    if (!expected.has(entry.queue)) problems.push(`${label}: ${files[consumer]} consumes "${entry.queue}" but ${files[producer]} has no producer binding for it`);
  }
  const deadLetters = new Set(
    (queuesOf(configs[DEAD_LETTER_CONSUMER]).consumers ?? []).map((c) => c.queue).filter((q) => isShardDeadLetterQueue(stage, group, q)),
  );
  for (const queue of expected) {
    if (!deadLetters.has(deadLetterQueueName(queue))) {
      problems.push(`${label}: ${files[DEAD_LETTER_CONSUMER]} does not consume "${deadLetterQueueName(queue)}", the dead-letter queue of "${queue}"`);
    }
  }
  for (const queue of deadLetters) {
    if (!expected.has(queue.slice(0, -4))) problems.push(`${label}: ${files[DEAD_LETTER_CONSUMER]} consumes "${queue}", the dead-letter queue of a shard nobody sends to`);
  }
  return problems;
}

/**
 * The jurisdiction a queue must be created in, from its name: a jurisdiction's shard of a stage
 * (`stratus-intent-eu`, `stratus-intent-eu-1`) or of the outbound channel queue
 * (`stratus-channel-outbound-eu`), or its dead-letter queue. Undefined for every other queue.
 */
export function queueJurisdiction(queue: string): QueueGroup {
  const shard = queue.endsWith("-dlq") ? queue.slice(0, -4) : queue;
  return JURISDICTIONS.find(
    (jurisdiction) =>
      QUEUE_STAGES.some((stage) => isShardQueue(stage, jurisdiction, shard)) ||
      // The outbound channel queues of a jurisdiction carry its conversations' replies.
      new RegExp(`^${channelOutboundQueueName(0, jurisdiction)}(-\\d+)?$`).test(shard),
  );
}

/** Every queue the configs name — producers, consumers and dead-letter queues — once each, in config order. */
export function queuesNamedIn(configs: WorkerConfigs): string[] {
  const names = Object.values(configs).flatMap((config) => {
    const { producers = [], consumers = [] } = queuesOf(config);
    return [...producers.map((p) => p.queue), ...consumers.flatMap((c) => [c.queue, ...(c.dead_letter_queue ? [c.dead_letter_queue] : [])])];
  });
  return [...new Set(names)];
}

/** How many shards each group of a stage has in the configs (for the check's one-line summary). */
export function shardCountsOf(configs: WorkerConfigs, stage: QueueStage): Array<{ group: QueueGroup; shards: number }> {
  const producers = queuesOf(configs[STAGE_WORKERS[stage].producer]).producers ?? [];
  return groupsIn(configs, stage).map((group) => ({ group, shards: producers.filter((p) => isShardBinding(stage, group, p.binding)).length }));
}

export function readCommittedConfigs(): WorkerConfigs {
  return {
    gateway: readWorkerConfig("gateway"),
    intent: readWorkerConfig("intent"),
    dialogue: readWorkerConfig("dialogue"),
    metrics: readWorkerConfig("metrics"),
  };
}

/**
 * The same configs with `shards` queue shards per stage — in every group the committed configs have
 * (the unrestricted queues and each jurisdiction's) — each consumed as the group's committed shard 0 is.
 */
export function withQueueShards(configs: WorkerConfigs, shards: ShardCounts, reportShards: number = LOCAL_REPORT_SHARDS): WorkerConfigs {
  const out = structuredClone(configs);
  const setQueues = (worker: WorkerName, change: (queues: { producers: Producer[]; consumers: Consumer[] }) => void) => {
    const queues = { producers: [...(queuesOf(out[worker]).producers ?? [])], consumers: [...(queuesOf(out[worker]).consumers ?? [])] };
    change(queues);
    out[worker].queues = queues;
  };
  for (const stage of QUEUE_STAGES) {
    const { producer, consumer } = STAGE_WORKERS[stage];
    for (const group of groupsIn(configs, stage)) {
      const names = Array.from({ length: shards[stage] }, (_, shard) => shardQueueName(stage, shard, group));
      const first = shardQueueName(stage, 0, group);
      setQueues(producer, (queues) => {
        queues.producers = [
          ...queues.producers.filter((p) => !isShardBinding(stage, group, p.binding)),
          ...names.map((queue, shard) => ({ binding: shardBindingName(stage, shard, group), queue })),
        ];
      });
      setQueues(consumer, (queues) => {
        const template = queues.consumers.find((c) => c.queue === first);
        if (!template) throw new Error(`${WORKERS[consumer]} does not consume "${first}" (its ${groupName(group)})`);
        queues.consumers = [
          ...queues.consumers.filter((c) => !isShardQueue(stage, group, c.queue)),
          ...names.map((queue) => ({ ...template, queue, dead_letter_queue: deadLetterQueueName(queue) })),
        ];
      });
      setQueues(DEAD_LETTER_CONSUMER, (queues) => {
        const template = queues.consumers.find((c) => c.queue === deadLetterQueueName(first));
        if (!template) throw new Error(`${WORKERS[DEAD_LETTER_CONSUMER]} does not consume "${deadLetterQueueName(first)}"`);
        queues.consumers = [
          ...queues.consumers.filter((c) => !isShardDeadLetterQueue(stage, group, c.queue)),
          ...names.map((queue) => ({ ...template, queue: deadLetterQueueName(queue) })),
        ];
      });
    }
  }
  for (const queue of REPORT_QUEUES) {
    const names = Array.from({ length: reportShards }, (_, shard) => reportQueueName(queue, shard));
    for (const producer of REPORT_PRODUCERS[queue]) {
      setQueues(producer, (queues) => {
        queues.producers = [
          ...queues.producers.filter((p) => !isReportBinding(queue, p.binding)),
          ...names.map((name, shard) => ({ binding: reportBindingName(queue, shard), queue: name })),
        ];
      });
    }
    setQueues(REPORT_CONSUMER, (queues) => {
      const template = queues.consumers.find((c) => c.queue === reportQueueName(queue, 0));
      if (!template) throw new Error(`${WORKERS[REPORT_CONSUMER]} does not consume "${reportQueueName(queue, 0)}"`);
      queues.consumers = [...queues.consumers.filter((c) => !isReportQueue(queue, c.queue)), ...names.map((name) => ({ ...template, queue: name }))];
    });
  }
  return out;
}

/** The local stack's queue shards per stage: two, so that every local run exercises sharding. */
export const LOCAL_QUEUE_SHARDS: ShardCounts = { intent: 2, dialogue: 2 };
/** The local stack's report-queue shards: two as well. */
export const LOCAL_REPORT_SHARDS = 2;
/** The local stack's object shards (gateway vars, shared/gateway-config.ts): two each, so every local run merges shards. */
export const LOCAL_OBJECT_SHARDS = { STRATUS_ANALYTICS_SHARDS: "2", STRATUS_DIRECTORY_SHARDS: "2", STRATUS_DEAD_LETTER_SHARDS: "2" } as const;

/**
 * Writes the committed configs with `shards` shards per stage into `dir` (a new temporary folder by
 * default) and returns the config paths, gateway first. They are for local runs (the test stack,
 * `wrangler dev`, `npm run dev`), so each is a development build (`asDevBuild`).
 */
export function writeShardedConfigs(
  shards: ShardCounts = LOCAL_QUEUE_SHARDS,
  dir: string = mkdtempSync(join(tmpdir(), "stratus-configs-")),
): { dir: string; paths: string[] } {
  const sharded = withQueueShards(readCommittedConfigs(), shards);
  // The shards of the bots' analytics and directory objects and of the dead-letter registry: two as well.
  sharded.gateway.vars = { ...(sharded.gateway.vars as Record<string, string> | undefined), ...LOCAL_OBJECT_SHARDS };
  const configs = Object.fromEntries(Object.entries(sharded).map(([worker, config]) => [worker, asDevBuild(config)]));
  return { dir, paths: writeWorkerConfigs(dir, configs) };
}
