// Queue shards in the Workers' configs: the check that all three agree on each stage's shard count
// (run by `npm run check`), and the configs of a local stack with another shard count (the dev
// stack and the tests run 2 per stage; the resize test changes it between two runs).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  QUEUE_STAGES,
  deadLetterQueueName,
  shardBindingName,
  shardBindingPrefix,
  shardQueueName,
  type QueueStage,
} from "../shared/queue-shards.ts";
import { WORKERS, readWorkerConfig, writeWorkerConfigs, type WorkerConfig, type WorkerName } from "./worker-configs.ts";

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

const queuesOf = (config: WorkerConfig) => (config.queues ?? {}) as { producers?: Producer[]; consumers?: Consumer[] };
const shardPattern = (stage: QueueStage) => new RegExp(`^stratus-${stage}(-(\\d+))?$`);
const isShardQueue = (stage: QueueStage, queue: string) => shardPattern(stage).test(queue);
const isShardDeadLetterQueue = (stage: QueueStage, queue: string) => queue.endsWith("-dlq") && isShardQueue(stage, queue.slice(0, -4));
const isShardBinding = (stage: QueueStage, binding: string) => new RegExp(`^${shardBindingPrefix(stage)}_\\d+$`).test(binding);

/**
 * Everything on which the configs disagree about queue shards, one sentence each: the stage's
 * producer has a binding for shards 0 … N-1 and nothing else, its consumer consumes exactly those
 * N queues, each with its own dead-letter queue, and the gateway consumes every one of those.
 */
export function queueShardProblems(configs: WorkerConfigs, files: Record<WorkerName, string> = WORKERS): string[] {
  const problems: string[] = [];
  for (const stage of QUEUE_STAGES) {
    const { producer, consumer } = STAGE_WORKERS[stage];
    const producers = (queuesOf(configs[producer]).producers ?? []).filter((p) => isShardBinding(stage, p.binding));
    const shards = producers.length;
    if (shards === 0) {
      problems.push(`${stage} stage: ${files[producer]} has no ${shardBindingName(stage, 0)} producer binding`);
      continue;
    }
    for (let shard = 0; shard < shards; shard++) {
      const binding = producers.find((p) => p.binding === shardBindingName(stage, shard));
      if (!binding) problems.push(`${stage} stage: ${files[producer]} has ${shards} shard bindings but none named ${shardBindingName(stage, shard)}`);
      else if (binding.queue !== shardQueueName(stage, shard)) {
        problems.push(`${stage} stage: ${files[producer]} binds ${binding.binding} to "${binding.queue}", not "${shardQueueName(stage, shard)}"`);
      }
    }
    const expected = new Set(Array.from({ length: shards }, (_, shard) => shardQueueName(stage, shard)));
    const consumed = (queuesOf(configs[consumer]).consumers ?? []).filter((c) => isShardQueue(stage, c.queue));
    for (const queue of expected) {
      const entry = consumed.find((c) => c.queue === queue);
      if (!entry) problems.push(`${stage} stage: ${files[producer]} sends to "${queue}" but ${files[consumer]} does not consume it`);
      else if (entry.dead_letter_queue !== deadLetterQueueName(queue)) {
        problems.push(`${stage} stage: ${files[consumer]} consumes "${queue}" with dead_letter_queue "${entry.dead_letter_queue ?? "(none)"}", not "${deadLetterQueueName(queue)}"`);
      }
    }
    for (const entry of consumed) {
      if (!expected.has(entry.queue)) problems.push(`${stage} stage: ${files[consumer]} consumes "${entry.queue}" but ${files[producer]} has no producer binding for it`);
    }
    const deadLetters = new Set((queuesOf(configs[DEAD_LETTER_CONSUMER]).consumers ?? []).map((c) => c.queue).filter((q) => isShardDeadLetterQueue(stage, q)));
    for (const queue of expected) {
      if (!deadLetters.has(deadLetterQueueName(queue))) {
        problems.push(`${stage} stage: ${files[DEAD_LETTER_CONSUMER]} does not consume "${deadLetterQueueName(queue)}", the dead-letter queue of "${queue}"`);
      }
    }
    for (const queue of deadLetters) {
      if (!expected.has(queue.slice(0, -4))) problems.push(`${stage} stage: ${files[DEAD_LETTER_CONSUMER]} consumes "${queue}", the dead-letter queue of a shard nobody sends to`);
    }
  }
  return problems;
}

export function readCommittedConfigs(): WorkerConfigs {
  return {
    gateway: readWorkerConfig("gateway"),
    intent: readWorkerConfig("intent"),
    dialogue: readWorkerConfig("dialogue"),
    metrics: readWorkerConfig("metrics"),
  };
}

/** The same configs with `shards` queue shards per stage, each consumed as the committed shard 0 is. */
export function withQueueShards(configs: WorkerConfigs, shards: ShardCounts): WorkerConfigs {
  const out = structuredClone(configs);
  const setQueues = (worker: WorkerName, change: (queues: { producers: Producer[]; consumers: Consumer[] }) => void) => {
    const queues = { producers: [...(queuesOf(out[worker]).producers ?? [])], consumers: [...(queuesOf(out[worker]).consumers ?? [])] };
    change(queues);
    out[worker].queues = queues;
  };
  for (const stage of QUEUE_STAGES) {
    const { producer, consumer } = STAGE_WORKERS[stage];
    const names = Array.from({ length: shards[stage] }, (_, shard) => shardQueueName(stage, shard));
    setQueues(producer, (queues) => {
      queues.producers = [
        ...queues.producers.filter((p) => !isShardBinding(stage, p.binding)),
        ...names.map((queue, shard) => ({ binding: shardBindingName(stage, shard), queue })),
      ];
    });
    setQueues(consumer, (queues) => {
      const template = queues.consumers.find((c) => c.queue === shardQueueName(stage, 0));
      if (!template) throw new Error(`${WORKERS[consumer]} does not consume "${shardQueueName(stage, 0)}"`);
      queues.consumers = [
        ...queues.consumers.filter((c) => !isShardQueue(stage, c.queue)),
        ...names.map((queue) => ({ ...template, queue, dead_letter_queue: deadLetterQueueName(queue) })),
      ];
    });
    setQueues(DEAD_LETTER_CONSUMER, (queues) => {
      const template = queues.consumers.find((c) => c.queue === deadLetterQueueName(shardQueueName(stage, 0)));
      if (!template) throw new Error(`${WORKERS[DEAD_LETTER_CONSUMER]} does not consume "${deadLetterQueueName(shardQueueName(stage, 0))}"`);
      queues.consumers = [
        ...queues.consumers.filter((c) => !isShardDeadLetterQueue(stage, c.queue)),
        ...names.map((queue) => ({ ...template, queue: deadLetterQueueName(queue) })),
      ];
    });
  }
  return out;
}

/** The local stack's queue shards per stage: two, so that every local run exercises sharding. */
export const LOCAL_QUEUE_SHARDS: ShardCounts = { intent: 2, dialogue: 2 };

/**
 * Writes the committed configs with `shards` shards per stage into `dir` (a new
 * temporary folder by default) and returns the config paths, gateway first.
 */
export function writeShardedConfigs(
  shards: ShardCounts = LOCAL_QUEUE_SHARDS,
  dir: string = mkdtempSync(join(tmpdir(), "stratus-configs-")),
): { dir: string; paths: string[] } {
  const configs = withQueueShards(readCommittedConfigs(), shards);
  return { dir, paths: writeWorkerConfigs(dir, configs) };
}
