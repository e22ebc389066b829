import { ConversationStateSchema, DirectoryEntrySchema, ERASURE_MEMORY_MS, type ConversationState, type DirectoryEntry, type ListingCursor } from "../../shared/schemas/index.ts";
import type { StorageMigration } from "../../shared/storage-migrations.ts";

/** The directory's SQLite schema (run by the same migration runner as the conversation's). */
export const DIRECTORY_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "one row per conversation, listed by state, newest first",
    up(sql) {
      sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS entries (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        entry TEXT NOT NULL
      )`);
      sql.exec(`CREATE INDEX IF NOT EXISTS entries_by_state ON entries (state, updated_at DESC, id DESC)`);
    },
  },
  {
    version: 2,
    description: "entries by last change, whatever their state: the retention sweep reads the idlest first",
    up(sql) {
      sql.exec(`CREATE INDEX IF NOT EXISTS entries_by_age ON entries (updated_at, id)`);
    },
  },
  {
    version: 3,
    description: "one index: the sweep reads the idlest of each state through the listing's index, so an entry's change writes one index row, not two",
    up(sql) {
      sql.exec(`DROP INDEX IF EXISTS entries_by_age`);
    },
  },
  {
    version: 4,
    description:
      "entries keyed by id without a rowid: the table is the id's index, so a new entry writes two rows (the entry, its place in the listing), not three",
    up(sql) {
      sql.exec(`CREATE TABLE entries_by_id (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        entry TEXT NOT NULL
      ) WITHOUT ROWID`);
      sql.exec(`INSERT INTO entries_by_id (id, state, updated_at, revision, entry) SELECT id, state, updated_at, revision, entry FROM entries`);
      sql.exec(`DROP TABLE entries`);
      sql.exec(`ALTER TABLE entries_by_id RENAME TO entries`);
      sql.exec(`CREATE INDEX entries_by_state ON entries (state, updated_at DESC, id DESC)`);
    },
  },
  {
    version: 5,
    description:
      "conversations their users erased, for a few days: an entry of theirs still on its way through the report queue is not listed again",
    up(sql) {
      sql.exec(`CREATE TABLE IF NOT EXISTS erased (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID`);
    },
  },
];

interface EntryRow extends Record<string, SqlStorageValue> {
  entry: string;
}

/** The entries of one bot's conversations. */
export class DirectoryStore {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Stores the entry unless a newer revision of the same conversation is already there. A bot's reply
   * in a conversation the bot still has only refreshes the listed last message: its place in the list
   * (its last change, `updated_at`, which the index orders) stays, so the refresh writes one row.
   */
  upsert(entry: DirectoryEntry): void {
    if (this.sql.exec("SELECT 1 FROM erased WHERE id = ?", entry.id).toArray().length > 0) return;
    if (entry.state === "bot") {
      const refreshed = this.sql.exec(
        "UPDATE entries SET revision = ?, entry = json_set(?, '$.updatedAt', updated_at) WHERE id = ? AND state = 'bot' AND revision < ?",
        entry.revision,
        JSON.stringify(entry),
        entry.id,
        entry.revision,
      );
      if (refreshed.rowsWritten > 0) return;
    }
    this.sql.exec(
      `INSERT INTO entries (id, state, updated_at, revision, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
         revision = excluded.revision, entry = excluded.entry
       WHERE excluded.revision > entries.revision`,
      entry.id,
      entry.state,
      entry.updatedAt,
      entry.revision,
      JSON.stringify(entry),
    );
  }

  /** Removes a conversation's entry; how many rows that deleted (0 or 1). */
  remove(id: string): number {
    return this.sql.exec("DELETE FROM entries WHERE id = ?", id).rowsWritten;
  }

  /**
   * Removes an erased conversation's entry and remembers its id for ERASURE_MEMORY_MS, so an entry
   * still on its way is not listed again (the remembered id names nobody: the conversation is gone).
   */
  erase(id: string, now: number): number {
    this.sql.exec("INSERT INTO erased (id, at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at", id, now);
    return this.remove(id);
  }

  /** Forgets erased ids older than ERASURE_MEMORY_MS. */
  forgetErased(now: number): void {
    this.sql.exec("DELETE FROM erased WHERE at < ?", now - ERASURE_MEMORY_MS);
  }

  /** A conversation's entry, if the directory has one. */
  entry(id: string): DirectoryEntry | undefined {
    const row = this.sql.exec<EntryRow>("SELECT entry FROM entries WHERE id = ?", id).toArray()[0];
    return row === undefined ? undefined : DirectoryEntrySchema.parse(JSON.parse(row.entry));
  }

  /** Up to `limit` conversations whose last change is before `cutoff` (ISO), idlest first (each state through the listing's index). */
  idleSince(cutoff: string, limit: number): string[] {
    const idle = ConversationStateSchema.options.flatMap((state) =>
      this.sql
        .exec<{ id: string; updated_at: string }>(
          "SELECT id, updated_at FROM entries WHERE state = ? AND updated_at < ? ORDER BY updated_at, id LIMIT ?",
          state,
          cutoff,
          limit,
        )
        .toArray(),
    );
    return idle
      .sort((a, b) => (a.updated_at === b.updated_at ? (a.id < b.id ? -1 : 1) : a.updated_at < b.updated_at ? -1 : 1))
      .slice(0, limit)
      .map((row) => row.id);
  }

  /** The conversation's real last activity, when an update that said so was lost: the sweep moves on. */
  touch(id: string, lastActivityAt: string): void {
    this.sql.exec(
      "UPDATE entries SET updated_at = ?, entry = json_set(entry, '$.updatedAt', ?) WHERE id = ? AND updated_at < ?",
      lastActivityAt,
      lastActivityAt,
      id,
      lastActivityAt,
    );
  }

  /** Up to `limit` entries in `state`, newest first, strictly after `before` in that order. */
  list(state: ConversationState, limit: number, before: ListingCursor | undefined): DirectoryEntry[] {
    // ISO timestamps of one format sort as text; row values compare (updated_at, id) together.
    const rows = before
      ? this.sql.exec<EntryRow>(
          `SELECT entry FROM entries WHERE state = ? AND (updated_at, id) < (?, ?)
           ORDER BY updated_at DESC, id DESC LIMIT ?`,
          state,
          before.updatedAt,
          before.id,
          limit,
        )
      : this.sql.exec<EntryRow>(
          "SELECT entry FROM entries WHERE state = ? ORDER BY updated_at DESC, id DESC LIMIT ?",
          state,
          limit,
        );
    return rows.toArray().map((row) => DirectoryEntrySchema.parse(JSON.parse(row.entry)));
  }
}
