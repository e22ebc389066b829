/**
 * The dialogue Worker's calls to a signed-in user's profile object (durable-objects/user-profile/,
 * bound as USER_PROFILES): writing remembered answers and recording consent. Nothing is read here —
 * the conversation carries what its bot may read, from its creation on (the dialogue state's
 * `profile`) — and nothing is called for an anonymous user.
 */
import type { FactSource, ProfileAccess, ProfileField, ProfilePurpose, ProfileValue, WriteFactsResult } from "../../../../shared/schemas/profile.ts";
import { profileObjectOfConversation } from "../../../../shared/user-profile-object.ts";

export interface RememberedFact {
  field: ProfileField;
  value: ProfileValue;
  /** The remembered slot it came from. */
  slot: string;
}

/** What a turn may do with its signed-in user's profile. */
export interface ProfileStore {
  write(facts: readonly RememberedFact[]): Promise<WriteFactsResult>;
  setConsent(purpose: ProfilePurpose, given: boolean): Promise<void>;
}

/** The profile of the conversation's user, in the conversation's jurisdiction (shared/user-profile-object.ts). */
export function profileStore(env: DialogueEnv, sub: string, conversationId: string, access: ProfileAccess): ProfileStore {
  const stub = profileObjectOfConversation(env.USER_PROFILES, sub, conversationId);
  const source: FactSource = { bot: access.bot, conversationId, slot: null };
  return {
    async write(facts) {
      const result = await stub.write({ sub, access, source, facts: facts.map(({ field, value, slot }) => ({ field, value, slot })) });
      // The object refuses a write the bot's declaration does not allow: a bug in the bot's build, not the user's doing.
      if (!result.ok) throw new Error(`profile write refused: ${result.error.code}`);
      return { stored: result.stored, consentRequired: result.consentRequired };
    },
    async setConsent(purpose, given) {
      const result = await stub.setConsent({ sub, purpose, given, via: { bot: access.bot, conversationId } });
      if (!result.ok) throw new Error(`consent not recorded: ${result.error.code}`);
    },
  };
}
