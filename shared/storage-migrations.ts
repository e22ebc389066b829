import { z } from "zod";

/**
 * A Durable Object's SQLite schema as an ordered list of migrations. Each runs once, in its own
 * transaction together with the version it brings the storage to (the `schema_version` row in
 * the object's `meta` table, which its first migration creates), so a failure leaves the storage
 * at the version before it, unchanged. The runner is called at every start of the object and does
 * nothing once the storage is current.
 *
 * A migration is never edited once released: a change to the schema is a new migration at the end.
 */
export interface StorageMigration {
  version: number;
  description: string;
  up(sql: SqlStorage, now: number): void;
}

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
export function migrateStorage(storage: DurableObjectStorage, migrations: readonly StorageMigration[], now: number): number {
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
