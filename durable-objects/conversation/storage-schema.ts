/**
 * SQLite schema of one conversation. Each statement is idempotent so it can run on every start
 * of the object; a new column gets its own ALTER guarded by a version row in `meta`.
 */
export const CONVERSATION_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // The append-only transcript: user and bot messages in the order clients see them.
  `CREATE TABLE IF NOT EXISTS messages (
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
   )`,
  `CREATE INDEX IF NOT EXISTS messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL`,
  // One row per user message: where it is on its way to an answer.
  `CREATE TABLE IF NOT EXISTS turns (
     seq INTEGER PRIMARY KEY,
     status TEXT NOT NULL,
     attempt INTEGER NOT NULL DEFAULT 0,
     trace_id TEXT NOT NULL,
     dispatched_at INTEGER,
     answered_at INTEGER,
     outcome TEXT
   )`,
  `CREATE INDEX IF NOT EXISTS turns_open ON turns (status, seq) WHERE status <> 'answered'`,
] as const;
