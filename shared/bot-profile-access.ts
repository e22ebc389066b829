/**
 * A bot's `profile` declaration (bot.yaml) as the user profile object receives it with every call:
 * the bot, its purposes, the fields it reads and writes. The gateway (a signed-in user's new
 * conversation) and the dialogue Worker (remembered slots, consent) build it the same way.
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import type { BotDefinition } from "./schemas/bot.ts";
import type { ProfileAccess } from "./schemas/profile.ts";

/** The bot's declaration, or null for a bot that declares no profile use (it reads and writes nothing). */
export function profileAccessOf(bot: Pick<BotDefinition, "id" | "profile">): ProfileAccess | null {
  if (bot.profile === undefined) return null;
  return { bot: bot.id, purposes: bot.profile.purposes, read: bot.profile.read, write: bot.profile.write };
}
