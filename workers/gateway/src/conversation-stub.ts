/** The Durable Object of one conversation; its name is the public conversation id. */
export function conversationStub(env: GatewayEnv, conversationId: string) {
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
}
