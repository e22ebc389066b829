/**
 * The Durable Object of one conversation, found from its public id alone. Its name is the id; a
 * conversation of a bot with a residency jurisdiction (bot.yaml `residency`) has an id that starts
 * with the jurisdiction (`eu-…`) and lives in that jurisdiction's namespace, so the gateway, its
 * dead-letter consumer and the dialogue Worker all reach it without a lookup. Ids without a
 * prefix — every conversation created before residency existed — stay in the default namespace,
 * where they have always been, and their tokens (an HMAC of the id) stay valid.
 */
import { conversationJurisdiction } from "./conversation-id.ts";
import type { Jurisdiction } from "./schemas/residency.ts";

export { conversationJurisdiction, newConversationId } from "./conversation-id.ts";

export function conversationObject<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  conversationId: string,
): DurableObjectStub<T> {
  const jurisdiction = conversationJurisdiction(conversationId);
  const scoped = jurisdiction ? inJurisdiction(namespace, jurisdiction) : namespace;
  return scoped.get(scoped.idFromName(conversationId));
}

/**
 * The namespace's part in a jurisdiction. Local workerd (wrangler dev, the tests) has no
 * jurisdictions and says so when asked: there, and only for that error, the conversation lives
 * in the default namespace, as Cloudflare's local development does for other products.
 */
export function inJurisdiction<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>, jurisdiction: Jurisdiction): DurableObjectNamespace<T> {
  // Once per binding and jurisdiction in an isolate: the answer does not change, and locally the
  // refusal is an exception thrown on every turn of such a conversation.
  const known = scopedNamespaces.get(namespace)?.get(jurisdiction);
  if (known !== undefined) return known as DurableObjectNamespace<T>;
  let scoped: DurableObjectNamespace<T>;
  try {
    scoped = namespace.jurisdiction(jurisdiction);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("not implemented in workerd"))) throw error;
    scoped = namespace;
  }
  const byJurisdiction = scopedNamespaces.get(namespace) ?? new Map<Jurisdiction, object>();
  byJurisdiction.set(jurisdiction, scoped);
  scopedNamespaces.set(namespace, byJurisdiction);
  return scoped;
}

const scopedNamespaces = new WeakMap<object, Map<Jurisdiction, object>>();
