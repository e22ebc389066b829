import { conversationObject } from "../../../shared/conversation-object.ts";

/** The Durable Object of one conversation (its name is the public conversation id; its jurisdiction its prefix). */
export function conversationStub(env: GatewayEnv, conversationId: string) {
  return conversationObject(env.CONVERSATIONS, conversationId);
}

/** The one dead-letter registry (durable-objects/dead-letters/), shared by every dead-letter queue's consumer. */
export function deadLetterRegistry(env: GatewayEnv) {
  return env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName("all"));
}
