import { profileAccessOf } from "../../../../shared/bot-profile-access.ts";
import type { DialogueQueueMessage } from "../../../../shared/schemas/index.ts";
import type { Bot } from "../engine/index.ts";
import type { ProfileContext } from "./profile-turn.ts";
import { profileStore } from "./profile-store.ts";

/** The turn's profile: the signed-in user's, for a bot that declares profile use; none for an anonymous user (no call is made). */
export function turnProfileContext(env: DialogueEnv, bot: Bot, turn: Pick<DialogueQueueMessage, "user" | "conversationId">): ProfileContext {
  const access = profileAccessOf(bot.definition);
  if (turn.user === undefined || access === null) return { store: undefined };
  return { store: profileStore(env, turn.user, turn.conversationId, access) };
}
