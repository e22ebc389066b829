import type { UserConversation, UserConversationCursor } from "../../../../shared/schemas/index.ts";
import { MAX_USER_CONVERSATIONS_PAGE, UserConversationCursorSchema } from "../../../../shared/schemas/index.ts";
import { ApiError } from "../errors.ts";
import { profilesOfUser } from "./user-profiles.ts";

/** Profile pages read per profile object for one listing page (each at most 100): the list holds at most 1,000. */
const MAX_PROFILE_PAGES = 10;

const newestFirst = (a: UserConversation, b: UserConversation): number =>
  a.lastActivity === b.lastActivity ? (a.id < b.id ? 1 : -1) : a.lastActivity < b.lastActivity ? 1 : -1;

/**
 * A page of the user's conversations, newest first, from every profile object they have (one per
 * jurisdiction), optionally of one bot. The cursor is the page's last entry, opaque to clients.
 */
export async function listUserConversations(
  env: GatewayEnv,
  sub: string,
  options: { limit: number; bot?: string | undefined; cursor?: string | undefined },
): Promise<{ conversations: UserConversation[]; nextCursor: string | null }> {
  const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  if (options.cursor !== undefined && before === undefined) throw new ApiError("invalid_request", "cursor: not a cursor this API gave out");
  const found = new Map<string, UserConversation>();
  for (const stub of profilesOfUser(env, sub)) {
    let cursor = before;
    let matched = 0;
    for (let page = 0; page < MAX_PROFILE_PAGES && matched <= options.limit; page++) {
      const result = await stub.listConversations({ sub, limit: MAX_USER_CONVERSATIONS_PAGE, ...(cursor ? { before: cursor } : {}) });
      if (!result.ok) throw ApiError.from(result.error);
      for (const conversation of result.conversations) {
        if (options.bot !== undefined && conversation.bot !== options.bot) continue;
        if (!found.has(conversation.id)) matched++;
        found.set(conversation.id, conversation);
      }
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
  }
  const merged = [...found.values()].sort(newestFirst);
  const page = merged.slice(0, options.limit);
  const last = page.at(-1);
  return { conversations: page, nextCursor: merged.length > options.limit && last ? encodeCursor({ lastActivity: last.lastActivity, id: last.id }) : null };
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
