import type { UserConversation, UserConversationCursor } from "../../../../shared/schemas/index.ts";
import { afterCursor, MAX_LISTED_CONVERSATIONS, newestActivityFirst, UserConversationCursorSchema } from "../../../../shared/schemas/index.ts";
import { ApiError } from "../errors.ts";
import { byDirectoryShard } from "./directory-groups.ts";
import { profilesOfUser } from "./user-profiles.ts";

/**
 * A page of the user's conversations, most recently active first, from every profile object they
 * have (one per jurisdiction), optionally of one bot. The cursor is the page's last entry, opaque to
 * clients.
 *
 * A profile learns of a conversation when it starts, and nothing per turn (a turn costs a signed-in
 * user no request more than an anonymous one: docs/users.md). When a conversation was last active
 * is known from its entry in its bot's directory, which the conversation already keeps current for
 * the operator inbox (its last message, refreshed by a bot reply every STRATUS_DIRECTORY_REFRESH_MS
 * at most): the listing reads those entries, one call per directory shard holding some of the
 * user's conversations, and orders by them. A conversation whose entry is not there (yet) counts as
 * active when it started; should a directory not answer, its conversations are too.
 */
export async function listUserConversations(
  env: GatewayEnv,
  sub: string,
  options: { limit: number; bot?: string | undefined; cursor?: string | undefined },
): Promise<{ conversations: UserConversation[]; nextCursor: string | null }> {
  const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  if (options.cursor !== undefined && before === undefined) throw new ApiError("invalid_request", "cursor: not a cursor this API gave out");
  const listed = new Map<string, UserConversation>();
  for (const stub of profilesOfUser(env, sub)) {
    // The profile lists from the cursor on, its whole list (it keeps at most MAX_LISTED_CONVERSATIONS)
    // in one call: a conversation its profile puts at or before the cursor cannot belong after it,
    // since the directory only ever moves a conversation's activity later.
    const result = await stub.listConversations({ sub, limit: MAX_LISTED_CONVERSATIONS, ...(before ? { before } : {}) });
    if (!result.ok) throw ApiError.from(result.error);
    for (const conversation of result.conversations) {
      if (options.bot === undefined || conversation.bot === options.bot) listed.set(conversation.id, conversation);
    }
  }
  const merged = (await withLastActivity(env, [...listed.values()]))
    .filter((conversation) => before === undefined || afterCursor(conversation, before))
    .sort(newestActivityFirst);
  const page = merged.slice(0, options.limit);
  const last = page.at(-1);
  return { conversations: page, nextCursor: merged.length > options.limit && last ? encodeCursor({ lastActivity: last.lastActivity, id: last.id }) : null };
}

/** The conversations with their last activity moved on to their last message, as their directory entries show it. */
async function withLastActivity(env: GatewayEnv, conversations: UserConversation[]): Promise<UserConversation[]> {
  const lastMessageAt = new Map<string, string>();
  await byDirectoryShard(env, conversations, async (stub, ids, shard) => {
    try {
      for (const entry of await stub.entries(ids)) if (entry.lastMessage !== null) lastMessageAt.set(entry.id, entry.lastMessage.createdAt);
    } catch (error) {
      // Listed all the same, by when they started: the list matters more than its order.
      console.error(JSON.stringify({ event: "user_list_activity_unavailable", bot: shard.bot, shard: shard.shard, error: String(error) }));
    }
  });
  return conversations.map((conversation) => {
    const messageAt = lastMessageAt.get(conversation.id);
    return messageAt !== undefined && messageAt > conversation.lastActivity ? { ...conversation, lastActivity: messageAt } : conversation;
  });
}

function encodeCursor(cursor: UserConversationCursor): string {
  return btoa(JSON.stringify(cursor)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(text: string): UserConversationCursor | undefined {
  try {
    const parsed = UserConversationCursorSchema.safeParse(JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
