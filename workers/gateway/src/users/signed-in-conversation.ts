import type { ConversationInfo, DialogueState, ProfileAccess, ProfileSnapshot } from "../../../../shared/schemas/index.ts";
import { initialDialogueState } from "../../../../shared/schemas/index.ts";
import type { VerifiedUser } from "../auth/user-token.ts";
import { ApiError } from "../errors.ts";
import { profileAccessOfBot, profileOfConversation, userKeyOf } from "./user-profiles.ts";

/**
 * A conversation starts for a signed-in user: one call to their profile object adds it to their
 * conversations and reads what the bot may know of them (its declared fields, consent for its
 * purposes). The conversation then carries that in its first dialogue state, so no turn reads the
 * profile again; it is written only when a remembered answer or consent changes (the dialogue Worker).
 */
export async function openSignedInConversation(
  env: GatewayEnv,
  user: VerifiedUser,
  conversation: { id: string; bot: string; createdAt: string },
  /** The profile declaration of the version it starts on; undefined: the built-in bot's. */
  versionProfile?: ProfileAccess | null,
): Promise<{ info: Pick<ConversationInfo, "user" | "userKey">; initialState: DialogueState | undefined }> {
  const access = versionProfile === undefined ? profileAccessOfBot(conversation.bot) : versionProfile;
  const [opened, userKey] = await Promise.all([
    profileOfConversation(env, user.sub, conversation.id).openConversation({
      sub: user.sub,
      conversation: { ...conversation, lastActivity: conversation.createdAt },
      access,
    }),
    userKeyOf(env, user.sub),
  ]);
  if (!opened.ok) throw ApiError.from(opened.error);
  const info = { user: user.sub, userKey };
  if (access === null) return { info, initialState: undefined };
  const profile: ProfileSnapshot = {
    facts: Object.fromEntries(opened.facts.map((fact) => [fact.field, fact.value])),
    consents: Object.fromEntries(opened.consents.map((consent) => [consent.purpose, consent.given])),
    asking: null,
    declined: [],
  };
  return { info, initialState: { ...initialDialogueState(), profile } };
}
