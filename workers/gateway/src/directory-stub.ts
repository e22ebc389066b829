import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { shardOf } from "../../../shared/queue-shards.ts";

/**
 * A bot's conversation directory lives in STRATUS_DIRECTORY_SHARDS objects: a conversation's entry is
 * kept in the shard its id hashes to, listings merge the shards' pages, and each shard sweeps its own
 * entries for retention. Shard 0 is named by the bot id alone (the one object before shards).
 */
export function directoryShardName(botId: string, shard: number): string {
  return shard === 0 ? botId : `${botId}#${shard}`;
}

export function directoryStub(env: GatewayEnv, botId: string, shard = 0) {
  return env.DIRECTORY.get(env.DIRECTORY.idFromName(directoryShardName(botId, shard)));
}

export const directoryShards = (env: GatewayEnv): number => gatewayConfig(env).STRATUS_DIRECTORY_SHARDS;

/** The shard a conversation's entry is kept in. */
export const directoryShardOf = (env: GatewayEnv, conversationId: string): number => shardOf(conversationId, directoryShards(env));
