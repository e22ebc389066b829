/**
 * The user assertion on every backend action call (shared/action-assertion.ts, docs/privacy.md):
 * `Stratus-User-Assertion`, an ES256 JWT signed with ACTION_ASSERTION_KEY naming the turn's
 * signed-in user (or none), the bot, the conversation, and this call's backend, method and URL.
 * A retried call gets a fresh one. Without the key, actions are called as before, without it.
 */
import { ACTION_ASSERTION_HEADER, actionAssertionConfig, actionSigningKey, signActionAssertion } from "../../../shared/action-assertion.ts";
import type { DialogueQueueMessage } from "../../../shared/schemas/index.ts";

export async function assertingFetch(env: DialogueEnv, base: typeof fetch, turn: Pick<DialogueQueueMessage, "user" | "botId" | "conversationId">): Promise<typeof fetch> {
  const secret = actionAssertionConfig(env).ACTION_ASSERTION_KEY;
  if (secret === undefined) return base;
  const key = await actionSigningKey(secret);
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const method = init?.method ?? request?.method ?? "GET";
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set(ACTION_ASSERTION_HEADER, await signActionAssertion(key, { sub: turn.user ?? null, bot: turn.botId, conversationId: turn.conversationId, method, url }));
    return base(input, { ...init, headers });
  };
}
