/**
 * A signed-in user's profile Durable Object (durable-objects/user-profile/), named by their `sub`.
 * A conversation of a bot with a residency jurisdiction (bot.yaml `residency`) keeps what it learns
 * of its user in that jurisdiction too: the user's profile there, a separate object, so health facts
 * told to an EU-resident bot stay in the EU. A user therefore has one profile per jurisdiction their
 * conversations live in; listing, export and erasure cover every one of them (`profileJurisdictions`).
 */
import { conversationJurisdiction, inJurisdiction } from "./conversation-object.ts";
import type { Jurisdiction } from "./schemas/residency.ts";

export function userProfileObject<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  sub: string,
  jurisdiction?: Jurisdiction,
): DurableObjectStub<T> {
  const scoped = jurisdiction ? inJurisdiction(namespace, jurisdiction) : namespace;
  return scoped.get(scoped.idFromName(sub));
}

/** The profile a conversation's facts and index entry belong in: its own jurisdiction's. */
export function profileObjectOfConversation<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  sub: string,
  conversationId: string,
): DurableObjectStub<T> {
  return userProfileObject(namespace, sub, conversationJurisdiction(conversationId));
}

/** Where a user's profiles may be: the default place, and each jurisdiction one of the deployment's bots keeps conversations in. */
export function profileJurisdictions(botJurisdictions: readonly (Jurisdiction | undefined)[]): (Jurisdiction | undefined)[] {
  return [undefined, ...new Set(botJurisdictions.filter((jurisdiction) => jurisdiction !== undefined))];
}
