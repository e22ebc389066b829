// What a deployment has configured, read from the committed Workers' configs: how many shards each
// queue family has (per jurisdiction) and how each is consumed, and how many shards each sharded
// Durable Object class has (its var, else its default). `npm run plan -- --check-deployment`
// checks these counts against the traffic.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { parseQueueName } from "../shared/capacity-keys.ts";
import { GatewayConfigSchema } from "../shared/gateway-config.ts";
import { WORKER_NAMES, WORKERS, readWorkerConfig, type WorkerConfig } from "../devkit/worker-configs.ts";
import type { ConsumerSettings } from "./cost-model.ts";
import { OBJECT_CLASSES } from "./topology.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Deployment {
  /** How each queue family is consumed (its first queue's consumer, the unrestricted group's if it has one). */
  consumers: Record<string, ConsumerSettings>;
  /** Shards per queue family and group: `intent`, `intent (eu)` … (queueGroup). */
  queueShards: Record<string, number>;
  /** Shards per sharded Durable Object class. */
  objectShards: Record<string, number>;
  /** Where each count was read, by the same keys: for the table and the check's messages. */
  sources: { objects: Record<string, string>; queues: Record<string, string> };
  /** Queue families whose consumers move a failing message to a dead-letter queue. */
  deadLettered: string[];
}

/** A queue family's group: the unrestricted queues (`intent`) or a jurisdiction's (`intent (eu)`). */
export const queueGroup = (family: string, jurisdiction?: string): string => (jurisdiction && jurisdiction !== "global" ? `${family} (${jurisdiction})` : family);

interface Consumer {
  queue: string;
  dead_letter_queue?: string;
  max_batch_size?: number;
  max_batch_timeout?: number;
}

/** Queues' defaults for a consumer that does not set them (Cloudflare's "Configure Queues" page). */
const DEFAULT_CONSUMER: ConsumerSettings = { maxBatchSize: 10, maxBatchTimeoutSeconds: 5 };

export function deploymentOf(configs: Record<string, WorkerConfig>, files: Record<string, string> = {}): Deployment {
  const deployment: Deployment = { consumers: {}, queueShards: {}, objectShards: {}, sources: { objects: {}, queues: {} }, deadLettered: [] };
  const queues = new Map<string, { group: string; file: string }>();
  for (const [worker, config] of Object.entries(configs)) {
    const file = files[worker] ?? worker;
    const declared = (config.queues ?? {}) as { producers?: { queue: string }[]; consumers?: Consumer[] };
    for (const consumer of declared.consumers ?? []) {
      const { key, jurisdiction, shard } = parseQueueName(consumer.queue);
      queues.set(consumer.queue, { group: queueGroup(key, jurisdiction), file });
      if (consumer.dead_letter_queue && !deployment.deadLettered.includes(key)) deployment.deadLettered.push(key);
      const first = shard === 0 && (jurisdiction === undefined || deployment.consumers[key] === undefined);
      if (first) {
        deployment.consumers[key] = {
          maxBatchSize: consumer.max_batch_size ?? DEFAULT_CONSUMER.maxBatchSize,
          maxBatchTimeoutSeconds: consumer.max_batch_timeout ?? DEFAULT_CONSUMER.maxBatchTimeoutSeconds,
        };
      }
    }
    // A queue something sends to but nothing consumes still counts as a shard of its family.
    for (const producer of declared.producers ?? []) {
      if (queues.has(producer.queue)) continue;
      const { key, jurisdiction } = parseQueueName(producer.queue);
      queues.set(producer.queue, { group: queueGroup(key, jurisdiction), file });
    }
  }
  for (const { group, file } of queues.values()) {
    deployment.queueShards[group] = (deployment.queueShards[group] ?? 0) + 1;
    deployment.sources.queues[group] ??= `queues in ${file}`;
  }
  for (const [key, topology] of Object.entries(OBJECT_CLASSES)) {
    if (topology.scaling.kind !== "sharded") continue;
    const fromVars = Object.entries(configs).flatMap(([worker, config]) => {
      const value = (config.vars as Record<string, unknown> | undefined)?.[topology.shardVar ?? ""];
      return value === undefined ? [] : [{ value: Number(value), where: `${topology.shardVar} in ${files[worker] ?? worker}` }];
    })[0];
    const schemaDefault = topology.shardVar ? (GatewayConfigSchema.shape as Record<string, z.ZodType | undefined>)[topology.shardVar]?.safeParse(undefined) : undefined;
    if (fromVars && Number.isInteger(fromVars.value) && fromVars.value > 0) {
      deployment.objectShards[key] = fromVars.value;
      deployment.sources.objects[key] = fromVars.where;
    } else if (schemaDefault?.success && typeof schemaDefault.data === "number") {
      deployment.objectShards[key] = schemaDefault.data;
      deployment.sources.objects[key] = `${topology.shardVar}'s default (shared/gateway-config.ts)`;
    } else {
      const constant = topology.shardConstant ? constantIn(topology.shardConstant.file, topology.shardConstant.name) : undefined;
      deployment.objectShards[key] = constant ?? 1;
      deployment.sources.objects[key] = constant !== undefined ? `${topology.shardConstant!.name} in ${topology.shardConstant!.file}` : "not set: one object";
    }
  }
  return deployment;
}

/** A whole-number constant in a source file (`export const NAME = 24;`): a shard count the code sets. */
function constantIn(file: string, name: string): number | undefined {
  try {
    const match = new RegExp(`export const ${name}\\s*=\\s*(\\d+)\\s*;`).exec(readFileSync(join(ROOT, file), "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The committed deployment: the four Workers' wrangler.toml files. */
export function committedDeployment(): Deployment {
  const configs = Object.fromEntries(WORKER_NAMES.map((worker) => [worker, readWorkerConfig(worker)]));
  return deploymentOf(configs, WORKERS);
}
