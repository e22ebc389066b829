import { conversationObject } from "../../../shared/conversation-object.ts";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { shardOf } from "../../../shared/queue-shards.ts";
import type { StoredDeadLetter } from "../../../shared/schemas/index.ts";

/** The Durable Object of one conversation (its name is the public conversation id; its jurisdiction its prefix). */
export function conversationStub(env: GatewayEnv, conversationId: string) {
  return conversationObject(env.CONVERSATIONS, conversationId);
}

/**
 * The dead-letter registry is STRATUS_DEAD_LETTER_SHARDS objects (durable-objects/dead-letters/), a
 * turn's record in the shard its conversation hashes to, so an outage that dead-letters every turn
 * is not one object's load. A record's public id says its shard: `local × 100 + shard` (at most 99
 * shards), so the list pages through all shards by id and a replay finds its record.
 */
export const DEAD_LETTER_ID_SHARDS = 100;

export const deadLetterShards = (env: GatewayEnv): number => gatewayConfig(env).STRATUS_DEAD_LETTER_SHARDS;

export function deadLetterRegistry(env: GatewayEnv, shard: number) {
  return env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName(shard === 0 ? "all" : `all#${shard}`));
}

/** The registry shard a conversation's dead letters are recorded in. */
export const deadLetterShardOf = (env: GatewayEnv, conversationId: string): number => shardOf(conversationId, deadLetterShards(env));

/** A record as the API shows it: its id made public (with its shard). */
export const publicDeadLetter = (record: StoredDeadLetter, shard: number): StoredDeadLetter => ({ ...record, id: record.id * DEAD_LETTER_ID_SHARDS + shard });

/** Where a public id's record is: its shard and its id there. */
export const deadLetterLocation = (id: number): { shard: number; local: number } => ({ shard: id % DEAD_LETTER_ID_SHARDS, local: Math.floor(id / DEAD_LETTER_ID_SHARDS) });
