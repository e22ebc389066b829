/** The Durable Object of one conversation; its name is the public conversation id. */
export function conversationStub(env: GatewayEnv, conversationId: string) {
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
}

/** The one dead-letter registry (durable-objects/dead-letters/), shared by every dead-letter queue's consumer. */
export function deadLetterRegistry(env: GatewayEnv) {
  return env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName("all"));
}
