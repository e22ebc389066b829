import {
  UserConversationRowSchema,
  type UserConversation,
  type UserConversationCursor,
  type UserConversationPage,
} from "../../shared/schemas/profile.ts";

/** Conversations kept per user; past this the least recently active leave the list (the conversations themselves stay). */
export const MAX_LISTED_CONVERSATIONS = 1_000;

/** The user's conversations, for "my conversations" and resuming the latest one on a new device. */
export class ConversationIndex {
  constructor(private readonly sql: SqlStorage) {}

  /** Adds a conversation, or moves its last activity on (never back: reports may arrive late). */
  record(conversation: UserConversation): void {
    const moved = this.sql.exec(
      "UPDATE conversations SET last_activity = MAX(last_activity, ?) WHERE id = ?",
      conversation.lastActivity,
      conversation.id,
    ).rowsWritten;
    if (moved > 0) return;
    this.sql.exec(
      "INSERT INTO conversations (id, bot, created_at, last_activity) VALUES (?, ?, ?, ?)",
      conversation.id,
      conversation.bot,
      conversation.createdAt,
      conversation.lastActivity,
    );
    // Only a new conversation can take the list past its bound.
    this.sql.exec(
      `DELETE FROM conversations WHERE id NOT IN (
         SELECT id FROM conversations ORDER BY last_activity DESC, id DESC LIMIT ?)`,
      MAX_LISTED_CONVERSATIONS,
    );
  }

  remove(id: string): void {
    this.sql.exec("DELETE FROM conversations WHERE id = ?", id);
  }

  /** A page, newest activity first, strictly after `before` in that order. */
  page(limit: number, before: UserConversationCursor | undefined): UserConversationPage {
    // ISO timestamps of one format sort as text; row values compare (last_activity, id) together.
    const rows = before
      ? this.sql.exec(
          `SELECT * FROM conversations WHERE (last_activity, id) < (?, ?) ORDER BY last_activity DESC, id DESC LIMIT ?`,
          before.lastActivity,
          before.id,
          limit + 1,
        )
      : this.sql.exec("SELECT * FROM conversations ORDER BY last_activity DESC, id DESC LIMIT ?", limit + 1);
    const conversations = rows.toArray().map(toConversation);
    const page = conversations.slice(0, limit);
    const last = page.at(-1);
    return {
      conversations: page,
      nextCursor: conversations.length > limit && last !== undefined ? { lastActivity: last.lastActivity, id: last.id } : null,
    };
  }

  all(): UserConversation[] {
    return this.sql.exec("SELECT * FROM conversations ORDER BY last_activity DESC, id DESC").toArray().map(toConversation);
  }
}

function toConversation(raw: Record<string, SqlStorageValue>): UserConversation {
  const row = UserConversationRowSchema.parse(raw);
  return { id: row.id, bot: row.bot, createdAt: row.created_at, lastActivity: row.last_activity };
}
