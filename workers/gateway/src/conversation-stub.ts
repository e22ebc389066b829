import { conversationObject } from "../../../shared/conversation-object.ts";

/** The Durable Object of one conversation (its name is the public conversation id; its jurisdiction its prefix). */
export function conversationStub(env: GatewayEnv, conversationId: string) {
  return conversationObject(env.CONVERSATIONS, conversationId);
}
