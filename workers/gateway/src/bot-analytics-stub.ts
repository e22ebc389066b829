import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { shardOf } from "../../../shared/queue-shards.ts";

/**
 * A bot's analytics live in STRATUS_ANALYTICS_SHARDS objects: a conversation's reports are counted
 * in the shard its id hashes to (so one bot's traffic is not one object's), and a query asks every
 * shard and adds their rows. Shard 0 is named by the bot id alone (the one object before shards).
 */
export function analyticsShardName(botId: string, shard: number): string {
  return shard === 0 ? botId : `${botId}#${shard}`;
}

export function botAnalyticsStub(env: GatewayEnv, botId: string, shard = 0) {
  return env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName(analyticsShardName(botId, shard)));
}

export const analyticsShards = (env: GatewayEnv): number => gatewayConfig(env).STRATUS_ANALYTICS_SHARDS;

/** The shard a conversation's reports are counted in. */
export const analyticsShardOf = (env: GatewayEnv, conversationId: string): number => shardOf(conversationId, analyticsShards(env));
