import { openStorage, storageIsEmpty, type StorageSchema } from "../../shared/storage-migrations.ts";

/**
 * The profile's tables. Version 1 is both the current schema and the first migration; a later
 * change adds a migration and updates these statements, so a new profile is still created in one
 * step (shared/storage-migrations.ts, `openStorage`).
 */
const CURRENT_TABLES = [
  // Schema version (the runner's), whose profile this is (`sub`) and when its user was last seen.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // The newest value of each field, with where it came from and what it is for.
  `CREATE TABLE facts (
    field TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    purpose TEXT NOT NULL,
    source_bot TEXT NOT NULL,
    source_conversation TEXT NOT NULL,
    source_slot TEXT,
    set_at TEXT NOT NULL
  ) WITHOUT ROWID`,
  `CREATE INDEX facts_by_purpose ON facts (purpose)`,
  // Consent given and withdrawn per purpose, as a history: the newest event per purpose is the state.
  `CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    bot TEXT,
    conversation_id TEXT
  )`,
  `CREATE INDEX consent_events_by_purpose ON consent_events (purpose, id)`,
  // The user's conversations, newest activity first ("my conversations", resuming on a new device).
  `CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    bot TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_activity TEXT NOT NULL
  ) WITHOUT ROWID`,
  `CREATE INDEX conversations_by_activity ON conversations (last_activity, id)`,
] as const;

export const PROFILE_SCHEMA: StorageSchema = {
  version: 1,
  create(sql) {
    for (const statement of CURRENT_TABLES) sql.exec(statement);
  },
  migrations: [
    {
      version: 1,
      description: "facts with their source and purpose, the consent history, the user's conversations",
      up(sql) {
        for (const statement of CURRENT_TABLES) sql.exec(statement);
      },
    },
  ],
};

/** The tables a profile has, for export checks and the erasure test ("0 rows"). */
export const PROFILE_TABLES = ["meta", "facts", "consent_events", "conversations"] as const;

/**
 * The profile's SQLite storage, created on the first write only: reading the profile of a user who
 * was never seen (an export, "my conversations") creates nothing, and after an erasure the object
 * is empty again until its user comes back.
 */
export class ProfileDatabase {
  private opened = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** The SQL storage at the current schema, created now if the profile is new. */
  forWrite(): SqlStorage {
    if (!this.opened) {
      openStorage(this.storage, PROFILE_SCHEMA, Date.now());
      this.opened = true;
    }
    return this.storage.sql;
  }

  /** The SQL storage, or undefined when nothing was ever stored (or everything was erased). */
  forRead(): SqlStorage | undefined {
    if (this.opened) return this.storage.sql;
    return storageIsEmpty(this.storage.sql) ? undefined : this.forWrite();
  }

  /** Deletes every table and row and the alarm: the object is empty, as if its user had never been seen. */
  async eraseAll(): Promise<void> {
    await this.storage.deleteAlarm();
    await this.storage.deleteAll();
    this.opened = false;
  }
}
