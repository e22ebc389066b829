import { DurableObject } from "cloudflare:workers";
import {
  DirectoryEntrySchema,
  DirectoryIdsSchema,
  ListingCursorSchema,
  ConversationIdSchema,
  ConversationStateSchema,
  type DirectoryEntry,
} from "../../shared/schemas/index.ts";
import { migrateStorage } from "../../shared/storage-migrations.ts";
import { DIRECTORY_MIGRATIONS, DirectoryStore } from "./directory-store.ts";
import { z } from "zod";
import { conversationObject } from "../../shared/conversation-object.ts";
import { gatewayConfig } from "../../shared/gateway-config.ts";

const DAY_MS = 86_400_000;
/** Conversations asked per alarm: each is one call to its object. */
const SWEEP_BATCH = 50;
/** The most entries one call upserts (a batch of the analytics queue holds at most this many). */
const MAX_ENTRIES_PER_CALL = 20_000;

const ListRequestSchema = z.object({
  state: ConversationStateSchema,
  limit: z.number().int().positive().max(1000),
  before: ListingCursorSchema.optional(),
});

/**
 * One shard of the directory of a bot's conversations (named by the bot id, `#<shard>` after it for
 * shards above 0; a conversation's entry lives in the shard its id hashes to): which are with the
 * bot and which wait for a person, with their last message. Each conversation reports its whole
 * entry after every change, with a revision, so updates may arrive late or twice and the directory
 * still ends up with the newest; a lost update is healed by the next one.
 */
export class ConversationDirectoryDurableObject extends DurableObject<GatewayEnv> {
  private readonly store: DirectoryStore;
  /** The sweep's alarm was seen armed in this isolate: no need to read it on every upsert. */
  private sweepArmed = false;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    migrateStorage(ctx.storage, DIRECTORY_MIGRATIONS, Date.now());
    this.store = new DirectoryStore(ctx.storage.sql);
  }

  /** Conversations' entries, as their objects saw them (RPC: the analytics queue's consumer, a batch at a time). */
  async upsertMany(raw: unknown): Promise<void> {
    const entries = z.array(DirectoryEntrySchema).max(MAX_ENTRIES_PER_CALL).parse(raw);
    // A batch often holds a conversation twice (created, then its first reply): only its newest
    // revision is written, one row change instead of two.
    const newest = new Map<string, DirectoryEntry>();
    for (const entry of entries) {
      const seen = newest.get(entry.id);
      if (!seen || entry.revision > seen.revision) newest.set(entry.id, entry);
    }
    this.ctx.storage.transactionSync(() => {
      for (const entry of newest.values()) this.store.upsert(entry);
    });
    await this.armSweep();
  }

  /** A conversation that no longer exists (its retention ran out, its user erased it) leaves the directory (RPC); the rows deleted. */
  remove(raw: unknown): number {
    return this.store.remove(ConversationIdSchema.parse(raw));
  }

  /** Conversations their user erased leave the directory, and are not listed again by an entry still on its way (RPC); the rows deleted. */
  eraseEntries(raw: unknown): number {
    const ids = DirectoryIdsSchema.parse(raw);
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => ids.reduce((sum, id) => sum + this.store.erase(id, now), 0));
  }

  /** Conversations' entries, for their user's export (RPC). */
  entries(raw: unknown): DirectoryEntry[] {
    return DirectoryIdsSchema.parse(raw).flatMap((id) => this.store.entry(id) ?? []);
  }

  /** A page of entries in one state, newest first (RPC). */
  list(raw: unknown): DirectoryEntry[] {
    const request = ListRequestSchema.parse(raw);
    return this.store.list(request.state, request.limit, request.before);
  }

  /**
   * The retention sweep (STRATUS_RETENTION_DAYS): every conversation whose last change is older than
   * the retention is asked to expire; it checks its own last message and deletes itself, or says when
   * it last spoke (an update that was lost), and the entry moves on. A batch at a time, so one alarm
   * stays short; the next batch follows at once, else the sweep runs again in a day.
   */
  override async alarm(): Promise<void> {
    const retentionDays = gatewayConfig(this.env).STRATUS_RETENTION_DAYS;
    if (retentionDays === 0) return;
    const now = Date.now();
    this.store.forgetErased(now);
    const idle = this.store.idleSince(new Date(now - retentionDays * DAY_MS).toISOString(), SWEEP_BATCH);
    for (const id of idle) {
      try {
        const outcome = await conversationObject(this.env.CONVERSATIONS, id).expireIfIdle();
        if (outcome.expired || outcome.lastActivityAt === null) this.store.remove(id);
        else this.store.touch(id, outcome.lastActivityAt);
      } catch (error) {
        // Left as it is: the next sweep asks again.
        console.error(JSON.stringify({ event: "retention_sweep_failed", conversationId: id, error: String(error) }));
      }
    }
    await this.ctx.storage.setAlarm(now + (idle.length === SWEEP_BATCH ? 1_000 : DAY_MS));
    this.sweepArmed = true;
  }

  private async armSweep(): Promise<void> {
    if (this.sweepArmed) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
    this.sweepArmed = true;
  }
}
