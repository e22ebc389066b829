import type { z } from "zod";

/** The statement that creates a profile's whole schema: one table, no secondary index. */
export const CREATE_PROFILE_TABLE = "CREATE TABLE IF NOT EXISTS profile (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID";

/**
 * The one table a profile keeps everything in: keyed rows whose values are JSON, each read back
 * through the schema of shared/schemas/profile.ts its key names (the layout is described there).
 * One table and no secondary index, so that a new profile is one statement of schema and each
 * change is the one row it changes: an index would add a row to every write, and its pages to
 * every profile. Lookups an index would serve (facts of a purpose, conversations by activity)
 * read the few rows under a key prefix instead; rows read cost a thousandth of rows written.
 */
export class ProfileTable {
  constructor(private readonly sql: SqlStorage) {}

  /** The row under `key`, validated; undefined when there is none. */
  get<Schema extends z.ZodType>(key: string, schema: Schema): z.output<Schema> | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM profile WHERE key = ?", key).toArray()[0];
    return row === undefined ? undefined : schema.parse(JSON.parse(row.value));
  }

  /** Writes the row under `key` (one row written, new or replaced). */
  put(key: string, value: object): void {
    this.sql.exec(
      "INSERT INTO profile (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  /** Deletes the rows under these keys; returns how many there were. */
  delete(keys: readonly string[]): number {
    let deleted = 0;
    for (const key of keys) deleted += this.sql.exec("DELETE FROM profile WHERE key = ?", key).rowsWritten;
    return deleted;
  }

  /** Every row whose key starts with `prefix`, in key order, each with the rest of its key. */
  under<Schema extends z.ZodType>(prefix: string, schema: Schema): { name: string; value: z.output<Schema> }[] {
    return this.sql
      .exec<{ key: string; value: string }>("SELECT key, value FROM profile WHERE key >= ? AND key < ? ORDER BY key", prefix, prefixEnd(prefix))
      .toArray()
      .map((row) => ({ name: row.key.slice(prefix.length), value: schema.parse(JSON.parse(row.value)) }));
  }

  /** How many rows have a key starting with `prefix`. */
  countUnder(prefix: string): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM profile WHERE key >= ? AND key < ?", prefix, prefixEnd(prefix)).one().n;
  }
}

/** The smallest key after every key starting with `prefix` (its last character moved on by one). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
