/**
 * A conversation's side of signed-in users (docs/privacy.md): what its summary shows of its user,
 * what it hands its user's export, and the user's list of conversations forgetting it once it is
 * gone. The profile itself is read once, by the gateway at creation (the first dialogue state
 * carries it), never by a turn.
 */
import type { ConversationInfo, ConversationSummary, DialogueState, Message } from "../../shared/schemas/index.ts";
import { profileObjectOfConversation } from "../../shared/user-profile-object.ts";

/** The conversation as its summary shows it: its user's id (the pseudonymous key stays inside), the dialogue state without the profile facts it carries. */
export function conversationSummary(info: ConversationInfo, handedOff: boolean, lastSeq: number, state: DialogueState): ConversationSummary {
  const { profile: _profile, ...shownState } = state;
  return {
    id: info.id,
    bot: info.bot,
    botVersion: info.botVersion,
    locale: info.locale,
    timezone: info.timezone,
    createdAt: info.createdAt,
    user: info.user ?? null,
    handedOff,
    lastSeq,
    state: shownState,
  };
}

/** One conversation in a user's export: its summary and whole transcript, as stored (masked). */
export type UserConversationExport = ConversationSummary & { messages: Message[] };

/**
 * The conversation no longer exists (its retention ran out): its user's list of conversations
 * forgets it. A failure is logged, not thrown: the list shows what is gone as 404, and erasure
 * clears the list anyway.
 */
export async function forgetInUserProfile(env: GatewayEnv, info: ConversationInfo): Promise<void> {
  if (info.user === undefined) return;
  try {
    const removed = await profileObjectOfConversation(env.USER_PROFILES, info.user, info.id).removeConversation({ sub: info.user, conversationId: info.id });
    if (!removed.ok) console.error(JSON.stringify({ event: "profile_forget_failed", conversationId: info.id, code: removed.error.code }));
  } catch (error) {
    console.error(JSON.stringify({ event: "profile_forget_failed", conversationId: info.id, error: String(error) }));
  }
}
