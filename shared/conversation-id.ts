/**
 * Conversation ids and the jurisdiction they carry: a conversation of a bot with a residency
 * (bot.yaml `residency`) has an id that starts with its jurisdiction (`eu-…`), so every stage routes
 * it (its Durable Object, its queues) from the id alone. Plain TypeScript: the Workers and the
 * Node-side tools (planner, checks) both read it.
 */
import { JURISDICTIONS, type Jurisdiction } from "./schemas/residency.ts";

export function conversationJurisdiction(conversationId: string): Jurisdiction | undefined {
  return JURISDICTIONS.find((jurisdiction) => conversationId.startsWith(`${jurisdiction}-`) && /^[0-9a-f]{32}$/.test(conversationId.slice(jurisdiction.length + 1)));
}

/** A new conversation id: 128 random bits, prefixed with the bot's jurisdiction when it has one. */
export function newConversationId(jurisdiction?: Jurisdiction): string {
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return jurisdiction ? `${jurisdiction}-${hex}` : hex;
}
