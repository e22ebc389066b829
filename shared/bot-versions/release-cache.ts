import { ReleaseForNewConversationsSchema, type ReleaseForNewConversations } from "../schemas/bot-versions.ts";
import type { ProfileAccess } from "../schemas/profile.ts";
import { versionFor } from "./assign.ts";

/**
 * How long an isolate trusts the release it read of a bot: without it every new conversation (from
 * `POST /v1/conversations` or a channel's first message) is a request to the bot's one registry
 * object, a hot spot at scale (#17). A release reaches other isolates within this time; the isolate
 * that released it sees it at once (`rememberRelease`; docs/bot-versions.md).
 */
const RELEASE_CACHE_MS = 10_000;

const releases = new Map<string, { release: Promise<ReleaseForNewConversations>; readAt: number }>();

/** The bot's release as this isolate last read it (at most RELEASE_CACHE_MS old); concurrent reads share one request. */
function cachedRelease(bot: string, read: () => Promise<unknown>): Promise<ReleaseForNewConversations> {
  const now = Date.now();
  const cached = releases.get(bot);
  if (cached && now - cached.readAt < RELEASE_CACHE_MS) return cached.release;
  const release = read().then((raw) => ReleaseForNewConversationsSchema.parse(raw));
  releases.set(bot, { release, readAt: now });
  // A failed read is not kept: the next conversation asks again.
  release.catch(() => {
    if (releases.get(bot)?.release === release) releases.delete(bot);
  });
  return release;
}

/**
 * The version a new conversation starts on and what that version declares it reads and writes of
 * users' profiles: null for nothing, undefined when the registry kept no declaration for it (the
 * built-in version, or one published before declarations were kept: the built-in bot's applies).
 */
export async function releaseForNewConversation(
  bot: string,
  conversationId: string,
  read: () => Promise<unknown>,
): Promise<{ version: number; profile: ProfileAccess | null | undefined }> {
  const release = await cachedRelease(bot, read);
  const version = versionFor(release, conversationId);
  return { version, profile: release.profiles?.[String(version)] };
}

/** A release this isolate just made: new conversations here start on it at once. */
export function rememberRelease(bot: string, release: ReleaseForNewConversations): void {
  releases.set(bot, { release: Promise.resolve(release), readAt: Date.now() });
}
