import {
  afterCursor,
  ConversationIdSchema,
  newestActivityFirst,
  MAX_LISTED_CONVERSATIONS,
  PROFILE_ROW_PREFIX,
  StoredUserConversationSchema,
  type UserConversation,
  type UserConversationCursor,
  type UserConversationPage,
} from "../../shared/schemas/index.ts";
import type { ProfileTable } from "./profile-table.ts";

const PREFIX = PROFILE_ROW_PREFIX.conversation;

/** The key of a conversation's row. */
export const conversationKey = (id: string): string => PREFIX + id;

/**
 * The user's conversations, for "my conversations" and resuming the latest one on a new device:
 * one row each (`conversation:<id>`), so a new conversation writes one row. With no index to
 * order them, a listing reads them all (at most MAX_LISTED_CONVERSATIONS) and sorts; the sorted
 * list is kept until the next change, so the pages of one listing read the rows once.
 */
export class ConversationIndex {
  private sorted: UserConversation[] | undefined;

  constructor(private readonly table: ProfileTable) {}

  /** Adds a conversation, or moves its last activity on (never back: reports may arrive late). */
  record(conversation: UserConversation): void {
    const { id, ...stored } = conversation;
    const known = this.table.get(conversationKey(id), StoredUserConversationSchema);
    if (known !== undefined && known.lastActivity >= conversation.lastActivity) return;
    this.sorted = undefined;
    this.table.put(conversationKey(id), known === undefined ? stored : { ...known, lastActivity: conversation.lastActivity });
    // Only a new conversation can take the list past its bound.
    if (known === undefined && this.table.countUnder(PREFIX) > MAX_LISTED_CONVERSATIONS) {
      this.table.delete(this.all().slice(MAX_LISTED_CONVERSATIONS).map((dropped) => conversationKey(dropped.id)));
      this.sorted = undefined;
    }
  }

  remove(id: string): void {
    this.sorted = undefined;
    this.table.delete([conversationKey(id)]);
  }

  /** A page, newest activity first, strictly after `before` in that order. */
  page(limit: number, before: UserConversationCursor | undefined): UserConversationPage {
    const listed = before === undefined ? this.all() : this.all().filter((conversation) => afterCursor(conversation, before));
    const page = listed.slice(0, limit);
    const last = page.at(-1);
    return {
      conversations: page,
      nextCursor: listed.length > limit && last !== undefined ? { lastActivity: last.lastActivity, id: last.id } : null,
    };
  }

  /** Every conversation listed, newest activity first. */
  all(): UserConversation[] {
    this.sorted ??= this.table
      .under(PREFIX, StoredUserConversationSchema)
      .map(({ name, value }) => ({ id: ConversationIdSchema.parse(name), ...value }))
      .sort(newestActivityFirst);
    return [...this.sorted];
  }
}
