import { DirectoryEntrySchema, type ConversationState, type DirectoryEntry, type ListingCursor } from "../../shared/schemas/index.ts";
import type { StorageMigration } from "../conversation/storage-migrations.ts";

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
];

interface EntryRow extends Record<string, SqlStorageValue> {
  entry: string;
}

/** The entries of one bot's conversations. */
export class DirectoryStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Stores the entry unless a newer revision of the same conversation is already there. */
  upsert(entry: DirectoryEntry): void {
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
