import { DurableObject } from "cloudflare:workers";
import {
  DirectoryEntrySchema,
  ListingCursorSchema,
  ConversationStateSchema,
  type DirectoryEntry,
} from "../../shared/schemas/index.ts";
import { migrateConversationStorage } from "../conversation/storage-migrations.ts";
import { DIRECTORY_MIGRATIONS, DirectoryStore } from "./directory-store.ts";
import { z } from "zod";

const ListRequestSchema = z.object({
  state: ConversationStateSchema,
  limit: z.number().int().positive().max(1000),
  before: ListingCursorSchema.optional(),
});

/**
 * The directory of one bot's conversations (one object per bot, named by the bot id): which are
 * with the bot and which wait for a person, with their last message. Each conversation object
 * sends its whole entry after every change, with a revision, so updates may arrive late or twice
 * and the directory still ends up with the newest; a lost update is healed by the next one.
 */
export class ConversationDirectoryDurableObject extends DurableObject<GatewayEnv> {
  private readonly store: DirectoryStore;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    migrateConversationStorage(ctx.storage, DIRECTORY_MIGRATIONS);
    this.store = new DirectoryStore(ctx.storage.sql);
  }

  /** A conversation's entry, as its conversation object now sees it (RPC). */
  upsert(raw: unknown): void {
    this.store.upsert(DirectoryEntrySchema.parse(raw));
  }

  /** A page of entries in one state, newest first (RPC). */
  list(raw: unknown): DirectoryEntry[] {
    const request = ListRequestSchema.parse(raw);
    return this.store.list(request.state, request.limit, request.before);
  }
}
