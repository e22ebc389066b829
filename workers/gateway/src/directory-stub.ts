/** The directory Durable Object of one bot's conversations; its name is the bot id. */
export function directoryStub(env: GatewayEnv, botId: string) {
  return env.DIRECTORY.get(env.DIRECTORY.idFromName(botId));
}
