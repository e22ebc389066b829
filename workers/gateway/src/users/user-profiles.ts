/**
 * The gateway's way to a signed-in user's profile objects (durable-objects/user-profile/): the one a
 * conversation belongs in (its jurisdiction's), and all of a user's (one per jurisdiction the
 * deployment's bots keep conversations in) for listing, export and erasure. Also each bot's profile
 * declaration, and the user's pseudonymous key.
 */
import profilesJson from "../../../../generated/bot-profiles.json";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { BotProfileAccessByBotSchema, type ProfileAccess } from "../../../../shared/schemas/profile.ts";
import { profileJurisdictions, profileObjectOfConversation, userProfileObject } from "../../../../shared/user-profile-object.ts";
import { keyedDigest } from "../auth/signed-token.ts";
import { botCatalog } from "../bot-catalog.ts";

const BOT_PROFILES = BotProfileAccessByBotSchema.parse(profilesJson);

/** What a bot declares it reads and writes of users' profiles (bot.yaml `profile`); null: nothing. */
export const profileAccessOfBot = (bot: string): ProfileAccess | null => BOT_PROFILES[bot] ?? null;

export const profileOfConversation = (env: GatewayEnv, sub: string, conversationId: string) =>
  profileObjectOfConversation(env.USER_PROFILES, sub, conversationId);

/** Every profile object the user may have (locally, without jurisdictions, these may be one object more than once). */
export const profilesOfUser = (env: GatewayEnv, sub: string) =>
  profileJurisdictions(botCatalog.bots.map((bot) => bot.jurisdiction)).map((jurisdiction) => userProfileObject(env.USER_PROFILES, sub, jurisdiction));

/**
 * The user as the bots' analytics count them: a keyed hash of `sub` (HMAC with TOKEN_SECRET), never
 * the `sub`. The same user has the same key everywhere (a conversation reports it; erasure recomputes
 * it); rotating TOKEN_SECRET starts every user afresh in the analytics.
 */
export const userKeyOf = (env: GatewayEnv, sub: string): Promise<string> => keyedDigest(gatewayConfig(env).TOKEN_SECRET, "stratus/analytics-user/v1", sub);
