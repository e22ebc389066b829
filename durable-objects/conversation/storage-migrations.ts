import { z } from "zod";

/**
 * The SQLite schema of one conversation, as an ordered list of migrations. Each runs once, in
 * its own transaction together with the version it brings the storage to (the `schema_version`
 * row in `meta`), so a failure leaves the storage at the version before it, unchanged. The
 * runner is called at every start of the object and does nothing once the storage is current.
 *
 * A migration is never edited once released: a change to the schema is a new migration at the end.
 */
export interface StorageMigration {
  version: number;
  description: string;
  up(sql: SqlStorage, now: number): void;
}

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
      "turn facts: when the turn was opened, the client's trace context it continues, and its stage timestamps once answered",
    up(sql) {
      sql.exec(`ALTER TABLE turns ADD COLUMN opened_at INTEGER`);
      sql.exec(`ALTER TABLE turns ADD COLUMN traceparent TEXT`);
      sql.exec(`ALTER TABLE turns ADD COLUMN timings TEXT`);
    },
  },
];

const VERSION_KEY = "schema_version";
const StoredVersionSchema = z.number().int().nonnegative();

/** The storage's schema version: 0 for storage written before versions were recorded, or for new storage. */
export function storedSchemaVersion(sql: SqlStorage): number {
  const hasMeta = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
  if (!hasMeta) return 0;
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", VERSION_KEY).toArray()[0];
  return row === undefined ? 0 : StoredVersionSchema.parse(JSON.parse(row.value));
}

/**
 * Brings the storage to the newest version and returns it. Storage already at a newer version
 * (written by newer code, before a rollback) is left as it is rather than guessed at.
 */
export function migrateConversationStorage(
  storage: DurableObjectStorage,
  migrations: readonly StorageMigration[] = CONVERSATION_MIGRATIONS,
  now: number = Date.now(),
): number {
  let version = storedSchemaVersion(storage.sql);
  let previous = 0;
  for (const migration of migrations) {
    if (migration.version <= previous) throw new Error(`storage migrations out of order at version ${migration.version}`);
    previous = migration.version;
    if (migration.version <= version) continue;
    storage.transactionSync(() => {
      migration.up(storage.sql, now);
      storage.sql.exec(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        VERSION_KEY,
        JSON.stringify(migration.version),
      );
    });
    version = migration.version;
  }
  return version;
}
