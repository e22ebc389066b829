/**
 * The outbound channel queue (docs/channels.md, "Replies out"): a channel conversation's object
 * puts its bot replies and agent messages on it, and the gateway's consumer sends them to the
 * platform (workers/gateway/src/channels/sender.ts), with a dead-letter queue behind it.
 *
 * Sharded by conversation like the other queues (`CHANNEL_OUTBOUND_QUEUE_0 …` → `stratus-channel-outbound`,
 * `stratus-channel-outbound-1` …); a conversation kept in a jurisdiction (its id starts `eu-`) uses
 * that jurisdiction's queues (`CHANNEL_OUTBOUND_QUEUE_EU_0` → `stratus-channel-outbound-eu`), never
 * the unrestricted ones: the messages carry the bot's words. Order per chat does not depend on the
 * shard: the conversation's delivery record chains its messages (shared/channel-delivery.ts).
 * `npm run check` verifies the gateway's producer and consumer bindings agree
 * (devkit/queue-shard-configs.ts).
 */
import { conversationJurisdiction } from "./conversation-id.ts";
import { shardOf, type QueueGroup } from "./queue-shards.ts";
import { JURISDICTIONS } from "./schemas/residency.ts";

export const CHANNEL_OUTBOUND_QUEUE = "stratus-channel-outbound";

/**
 * The outbound consumers' `max_retries` (Cloudflare's maximum): a message failing for good reaches its
 * dead-letter queue after about a day of backoff; a rate limit never spends it (the sender requeues).
 * `npm run check` holds the configs to it.
 */
export const CHANNEL_OUTBOUND_MAX_RETRIES = 100;

export const channelOutboundBindingPrefix = (group?: QueueGroup): string =>
  group ? `CHANNEL_OUTBOUND_QUEUE_${group.toUpperCase().replaceAll("-", "_")}` : "CHANNEL_OUTBOUND_QUEUE";

export const channelOutboundBindingName = (shard: number, group?: QueueGroup): string => `${channelOutboundBindingPrefix(group)}_${shard}`;

export function channelOutboundQueueName(shard: number, group?: QueueGroup): string {
  const base = group ? `${CHANNEL_OUTBOUND_QUEUE}-${group}` : CHANNEL_OUTBOUND_QUEUE;
  return shard === 0 ? base : `${base}-${shard}`;
}

const QUEUE_NAME = new RegExp(`^${CHANNEL_OUTBOUND_QUEUE}(?:-(?:${JURISDICTIONS.join("|")}))?(?:-\\d+)?$`);

/** Whether a queue is one of the outbound channel queues (any group, any shard), or its dead-letter queue. */
export function channelOutboundQueueOf(name: string): { deadLetter: boolean } | undefined {
  const deadLetter = name.endsWith("-dlq");
  return QUEUE_NAME.test(deadLetter ? name.slice(0, -"-dlq".length) : name) ? { deadLetter } : undefined;
}

interface OutboundQueueBinding {
  send(body: unknown, options?: { delaySeconds?: number }): Promise<unknown>;
}

const isQueue = (value: unknown): value is OutboundQueueBinding => typeof value === "object" && value !== null && "send" in value;

/** A group's outbound queue bindings, in order: `CHANNEL_OUTBOUND_QUEUE[_<GROUP>]_0` up to the first missing number. */
export function channelOutboundShards(env: object, group?: QueueGroup): OutboundQueueBinding[] {
  const bindings = env as Record<string, unknown>;
  const shards: OutboundQueueBinding[] = [];
  for (let binding = bindings[channelOutboundBindingName(0, group)]; isQueue(binding); binding = bindings[channelOutboundBindingName(shards.length, group)]) {
    shards.push(binding);
  }
  if (shards.length === 0) {
    // Never the unrestricted queue for a jurisdiction's conversation: that would move its text out of it.
    const whose = group ? `conversations kept in jurisdiction "${group}"` : "channel conversations";
    throw new Error(`no ${channelOutboundBindingName(0, group)} queue binding: this Worker cannot send the replies of ${whose}`);
  }
  return shards;
}

/** Puts one of a conversation's outbound messages on its shard, in its jurisdiction's queues if it has one, optionally delayed. */
export async function sendChannelOutbound(env: object, conversationId: string, body: unknown, delaySeconds?: number): Promise<void> {
  const shards = channelOutboundShards(env, conversationJurisdiction(conversationId));
  const queue = shards[shardOf(conversationId, shards.length)]!;
  await (delaySeconds === undefined || delaySeconds <= 0 ? queue.send(body) : queue.send(body, { delaySeconds: Math.ceil(delaySeconds) }));
}
