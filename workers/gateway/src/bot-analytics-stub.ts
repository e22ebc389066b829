/** The analytics Durable Object of one bot; its name is the bot id. */
export function botAnalyticsStub(env: GatewayEnv, botId: string) {
  return env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName(botId));
}
