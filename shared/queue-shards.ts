/**
 * Each pipeline stage's queue is split into N shards (one Cloudflare queue each, so each has its own
 * 5,000 messages/s and consumer budget). A Worker that produces to a stage has one binding per
 * shard, `<STAGE>_QUEUE_0 … <STAGE>_QUEUE_{N-1}`, and N is the number of such bindings in its
 * wrangler.toml: there is no second setting to disagree with them. `npm run check` verifies that
 * every Worker's config agrees (cli/check-queue-shards.ts).
 *
 * A conversation's turns always go to the same shard (a stable hash of its id), and the
 * conversation keeps one turn in flight: the next turn is sent only once the previous one is
 * answered. So per-conversation order holds within a shard, and across a change of N as well
 * (docs/scaling.md, "Resizing").
 *
 * A conversation kept in a jurisdiction (a bot's `residency`, its id starts with `eu-`) sends its
 * turns through that jurisdiction's own queues — created restricted to it, so the messages (the
 * user's text) are stored and processed there too — `<STAGE>_QUEUE_<EU>_0 …`, sharded the same
 * way. Its routing comes from the id alone, like the object's (shared/conversation-id.ts).
 */
import { conversationJurisdiction } from "./conversation-id.ts";
import { hashString } from "./hash.ts";
import type { Jurisdiction } from "./schemas/residency.ts";

export const QUEUE_STAGES = ["intent", "dialogue"] as const;
export type QueueStage = (typeof QUEUE_STAGES)[number];

/** A stage's queues for the conversations of one jurisdiction, or (undefined) for all others. */
export type QueueGroup = Jurisdiction | undefined;

/**
 * The producer bindings' prefix of a stage's group: `INTENT_QUEUE` → INTENT_QUEUE_0, INTENT_QUEUE_1, …;
 * in a jurisdiction `INTENT_QUEUE_EU` → INTENT_QUEUE_EU_0, …
 */
export const shardBindingPrefix = (stage: QueueStage, group?: QueueGroup): string =>
  group ? `${stage.toUpperCase()}_QUEUE_${group.toUpperCase().replaceAll("-", "_")}` : `${stage.toUpperCase()}_QUEUE`;

export function shardBindingName(stage: QueueStage, shard: number, group?: QueueGroup): string {
  return `${shardBindingPrefix(stage, group)}_${shard}`;
}

/**
 * Shard 0 keeps the unsharded queue's name, so a deployment with N = 1 is the one that existed
 * before shards, and growing it keeps its queue. A jurisdiction's queues carry its name.
 */
export function shardQueueName(stage: QueueStage, shard: number, jurisdiction?: QueueGroup): string {
  const base = jurisdiction ? `stratus-${stage}-${jurisdiction}` : `stratus-${stage}`;
  return shard === 0 ? base : `${base}-${shard}`;
}

export const deadLetterQueueName = (queue: string) => `${queue}-dlq`;


/** The shard a conversation's turns take when a stage has `shards` shards. */
export function shardOf(conversationId: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`a stage needs at least one queue shard, not ${shards}`);
  // FNV-1a of the id: stable across Workers, deployments and runtimes.
  return hashString(conversationId) % shards;
}

/** What this module needs of a queue binding (so Node-side code, the planner and the checks, can use it too). */
interface QueueBinding {
  send(body: unknown): Promise<unknown>;
}

function isQueue(value: unknown): value is QueueBinding {
  return typeof value === "object" && value !== null && "send" in value;
}

/** A stage's shard bindings of a group, in order: `<STAGE>_QUEUE[_<GROUP>]_0` up to the first missing number. */
export function queueShards(env: object, stage: QueueStage, group?: QueueGroup): QueueBinding[] {
  const bindings = env as Record<string, unknown>;
  const shards: QueueBinding[] = [];
  for (let binding = bindings[shardBindingName(stage, 0, group)]; isQueue(binding); binding = bindings[shardBindingName(stage, shards.length, group)]) {
    shards.push(binding);
  }
  if (shards.length === 0) {
    // Never a fallback to the unrestricted queues: that would move a jurisdiction's text out of it.
    const whose = group ? `conversations kept in jurisdiction "${group}"` : "this stage";
    throw new Error(`no ${shardBindingName(stage, 0, group)} queue binding: this Worker cannot send ${whose} to the ${stage} stage`);
  }
  return shards;
}

/** Sends one conversation's message to its shard of `stage`, in its jurisdiction's queues if it has one. */
export async function sendToShard(env: object, stage: QueueStage, conversationId: string, body: unknown): Promise<void> {
  const shards = queueShards(env, stage, conversationJurisdiction(conversationId));
  await shards[shardOf(conversationId, shards.length)]!.send(body);
}

/**
 * Queues that carry reports about turns rather than turns: the conversations' analytics reports and
 * directory entries (`analytics`), and the consumers' failed deliveries (`turn-failures`). Sharded
 * like the stages, by the conversation a report is about (a queue takes 5,000 messages a second:
 * in an outage every turn fails, and creations alone can pass that at 100,000 messages a second),
 * with no order to keep and no dead-letter queue (a report past its retries is counted as lost).
 * Producers bind `<QUEUE>_QUEUE_0 …` (`ANALYTICS_QUEUE_0`, `TURN_FAILURES_QUEUE_0`); the gateway
 * consumes `stratus-<queue>` (shard 0) and `stratus-<queue>-<i>`. `npm run check` verifies the configs agree.
 */
export const REPORT_QUEUES = ["analytics", "turn-failures"] as const;
export type ReportQueue = (typeof REPORT_QUEUES)[number];

export const reportBindingPrefix = (queue: ReportQueue): string => `${queue.toUpperCase().replaceAll("-", "_")}_QUEUE`;
export const reportBindingName = (queue: ReportQueue, shard: number): string => `${reportBindingPrefix(queue)}_${shard}`;
export const reportQueueName = (queue: ReportQueue, shard: number): string => (shard === 0 ? `stratus-${queue}` : `stratus-${queue}-${shard}`);

/** A report queue's shard bindings, in order. */
export function reportShards(env: object, queue: ReportQueue): QueueBinding[] {
  const bindings = env as Record<string, unknown>;
  const shards: QueueBinding[] = [];
  for (let binding = bindings[reportBindingName(queue, 0)]; isQueue(binding); binding = bindings[reportBindingName(queue, shards.length)]) shards.push(binding);
  if (shards.length === 0) throw new Error(`no ${reportBindingName(queue, 0)} queue binding: this Worker cannot send ${queue} reports`);
  return shards;
}

/** Sends a report about one conversation to its shard of a report queue. */
export async function sendReport(env: object, queue: ReportQueue, conversationId: string, body: unknown): Promise<void> {
  const shards = reportShards(env, queue);
  await shards[shardOf(conversationId, shards.length)]!.send(body);
}

/** The shard of a report queue a message came from, by the queue's name (consumers group by it). */
export function reportQueueOf(name: string): { queue: ReportQueue; shard: number } | undefined {
  for (const queue of REPORT_QUEUES) {
    const match = new RegExp(`^stratus-${queue}(?:-(\\d+))?$`).exec(name);
    if (match) return { queue, shard: match[1] === undefined ? 0 : Number(match[1]) };
  }
  return undefined;
}
