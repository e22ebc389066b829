import { migrateStorage, type StorageMigration } from "../../shared/storage-migrations.ts";

export { storedSchemaVersion, type StorageMigration } from "../../shared/storage-migrations.ts";

/**
 * The SQLite schema of one conversation, as an ordered list of migrations (the runner and its
 * rules: shared/storage-migrations.ts). A migration is never edited once released.
 */
export const CONVERSATION_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "the tables conversations had before versions were recorded (so those are adopted as they are)",
    up(sql) {
      sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      // The append-only transcript: user, bot and agent messages in the order clients see them.
      sql.exec(`CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        client_message_id TEXT UNIQUE,
        reply_to INTEGER,
        response TEXT,
        nlu TEXT,
        quick_replies TEXT
      )`);
      sql.exec(`CREATE INDEX IF NOT EXISTS messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL`);
      // One row per user message: where it is on its way to an answer (turn-ledger.ts).
      sql.exec(`CREATE TABLE IF NOT EXISTS turns (
        seq INTEGER PRIMARY KEY,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        trace_id TEXT NOT NULL,
        dispatched_at INTEGER,
        answered_at INTEGER,
        outcome TEXT
      )`);
      sql.exec(`CREATE INDEX IF NOT EXISTS turns_open ON turns (status, seq) WHERE status <> 'answered'`);
    },
  },
  {
    version: 2,
    description:
      "a handed-off conversation has no open turn (turn-scheduler.ts): turns left queued or in flight by a handoff are held",
    up(sql, now) {
      sql.exec(
        `UPDATE turns SET status = 'answered', outcome = 'held', answered_at = ?
         WHERE status <> 'answered' AND EXISTS (SELECT 1 FROM meta WHERE key = 'handoff' AND value = 'true')`,
        now,
      );
    },
  },
  {
    version: 3,
    description:
      "dead letters an operator can act on: the last failure a consumer reported for each turn, the attempt a replay started after, and which bot replies a replay gave",
    up(sql) {
      for (const column of ["failure_attempt INTEGER", "failure_stage TEXT", "failure_deliveries INTEGER", "failure_error TEXT", "replay_from INTEGER"]) {
        sql.exec(`ALTER TABLE turns ADD COLUMN ${column}`);
      }
      sql.exec(`ALTER TABLE messages ADD COLUMN replayed INTEGER`);
    },
  },
  {
    version: 4,
    description:
      "turn facts: when the turn was opened, the client's trace context it continues, and its stage timestamps once answered",
    up(sql) {
      sql.exec(`ALTER TABLE turns ADD COLUMN opened_at INTEGER`);
      sql.exec(`ALTER TABLE turns ADD COLUMN traceparent TEXT`);
      sql.exec(`ALTER TABLE turns ADD COLUMN timings TEXT`);
    },
  },
  {
    version: 5,
    description: "each turn's writer as the per-address budgets key it (a keyed hash, never the address): the LLM fallback's budget counts it",
    up(sql) {
      sql.exec(`ALTER TABLE turns ADD COLUMN client TEXT`);
    },
  },
];

/** Brings a conversation's storage to the newest version (shared/storage-migrations.ts) and returns it. */
export function migrateConversationStorage(
  storage: DurableObjectStorage,
  migrations: readonly StorageMigration[] = CONVERSATION_MIGRATIONS,
  now: number = Date.now(),
): number {
  return migrateStorage(storage, migrations, now);
}
