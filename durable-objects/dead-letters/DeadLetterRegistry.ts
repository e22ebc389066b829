import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { DeadLetterEntrySchema, PipelineStageSchema, StoredDeadLetterSchema, type StoredDeadLetter } from "../../shared/schemas/index.ts";
import { migrateStorage, type StorageMigration } from "../../shared/storage-migrations.ts";

/**
 * One shard of the list of dead-lettered turns, across all dead-letter queues (`DEAD_LETTERS`, named
 * "all", `all#<shard>` for shards above 0; a turn's record in the shard its conversation hashes to:
 * workers/gateway/src/conversation-stub.ts), one row per turn. However many dead-letter queues and
 * consumers there are, each reports to the turn's conversation and records what it answers here, and
 * an operator pages through one list merged from the shards (`GET /v1/dead-letters`). Rows hold
 * facts only; where each turn is now, whether it can be replayed and the last error a consumer
 * reported, its conversation says when asked. Dead letters are rare, but an outage dead-letters
 * every turn: the shards spread that over as many objects as the deployment sets.
 */
export class DeadLetterRegistry extends DurableObject<GatewayEnv> {
  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    migrateStorage(ctx.storage, DEAD_LETTER_MIGRATIONS, Date.now());
  }

  /** Records a dead letter of a turn: a new row for the turn's first, the newest facts for a later one. */
  record(raw: unknown): StoredDeadLetter {
    const entry = DeadLetterEntrySchema.parse(raw);
    const sql = this.ctx.storage.sql;
    // A dead letter delivered late (an older attempt's, or one delivered twice) does not overwrite newer facts.
    sql.exec(
      `INSERT INTO dead_letters (conversation_id, seq, stage, attempts, first_dead_at, last_dead_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id, seq) DO UPDATE SET
         stage = excluded.stage, attempts = excluded.attempts, last_dead_at = excluded.last_dead_at
       WHERE excluded.attempts > dead_letters.attempts`,
      entry.conversationId,
      entry.seq,
      entry.stage,
      entry.attempts,
      entry.deadAt,
      entry.deadAt,
    );
    const row = sql.exec("SELECT * FROM dead_letters WHERE conversation_id = ? AND seq = ?", entry.conversationId, entry.seq).one();
    return toDeadLetter(row);
  }

  /** Newest first: the records with an id below `before`, and the `before` of the next page (null on the last). */
  list(before: number | undefined, limit: number): { records: StoredDeadLetter[]; nextBefore: number | null } {
    const rows = this.ctx.storage.sql
      .exec("SELECT * FROM dead_letters WHERE id < ? ORDER BY id DESC LIMIT ?", before ?? Number.MAX_SAFE_INTEGER, limit + 1)
      .toArray();
    const records = rows.slice(0, limit).map(toDeadLetter);
    return { records, nextBefore: rows.length > limit ? (records.at(-1)?.id ?? null) : null };
  }

  get(id: number): StoredDeadLetter | null {
    const row = this.ctx.storage.sql.exec("SELECT * FROM dead_letters WHERE id = ?", id).toArray()[0];
    return row === undefined ? null : toDeadLetter(row);
  }

  /** An operator's replay was accepted by the turn's conversation. */
  replayed(id: number, at: string): StoredDeadLetter | null {
    this.ctx.storage.sql.exec("UPDATE dead_letters SET replays = replays + 1, last_replay_at = ? WHERE id = ?", at, id);
    return this.get(id);
  }
}

const DEAD_LETTER_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "one row per dead-lettered turn",
    up(sql) {
      // `meta` holds the schema version (the migration runner's).
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        stage TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        first_dead_at TEXT NOT NULL,
        last_dead_at TEXT NOT NULL,
        replays INTEGER NOT NULL DEFAULT 0,
        last_replay_at TEXT,
        UNIQUE (conversation_id, seq)
      )`);
    },
  },
];

const DeadLetterRowSchema = z.object({
  id: z.number(),
  conversation_id: z.string(),
  seq: z.number(),
  stage: PipelineStageSchema,
  attempts: z.number(),
  first_dead_at: z.string(),
  last_dead_at: z.string(),
  replays: z.number(),
  last_replay_at: z.string().nullable(),
});

function toDeadLetter(raw: Record<string, SqlStorageValue>): StoredDeadLetter {
  const row = DeadLetterRowSchema.parse(raw);
  return StoredDeadLetterSchema.parse({
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    stage: row.stage,
    attempts: row.attempts,
    firstDeadAt: row.first_dead_at,
    lastDeadAt: row.last_dead_at,
    replays: row.replays,
    lastReplayAt: row.last_replay_at,
  });
}
