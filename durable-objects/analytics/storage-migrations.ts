import type { StorageMigration } from "../../shared/storage-migrations.ts";

/** The SQLite schema of one bot's analytics object (the runner: shared/storage-migrations.ts). */
export const ANALYTICS_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "per-minute rollups, the reports already counted, and kept unrecognised text",
    up(sql) {
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      // One row per minute and locale; `figures` is RollupFiguresSchema as JSON (shared/schemas/analytics.ts).
      sql.exec(`CREATE TABLE minute_rollups (
        minute INTEGER NOT NULL,
        locale TEXT NOT NULL,
        figures TEXT NOT NULL,
        PRIMARY KEY (minute, locale)
      ) WITHOUT ROWID`);
      // The key of every report counted in the last days: a report the queue delivers again is skipped.
      sql.exec(`CREATE TABLE counted_reports (key TEXT PRIMARY KEY, counted_at INTEGER NOT NULL) WITHOUT ROWID`);
      sql.exec(`CREATE INDEX counted_reports_at ON counted_reports (counted_at)`);
      // Only for a bot that opts in (analytics.keepUnrecognisedText): what it did not understand, per hour.
      sql.exec(`CREATE TABLE unrecognised_texts (
        hour INTEGER NOT NULL,
        locale TEXT NOT NULL,
        text TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (hour, locale, text)
      ) WITHOUT ROWID`);
    },
  },
  {
    version: 2,
    description:
      "what was counted is remembered per queue message, not per report: the keys of one minute in one row (a batch of reports costs one row, not one per report)",
    up(sql) {
      sql.exec(`CREATE TABLE counted_messages (minute INTEGER PRIMARY KEY, keys TEXT NOT NULL)`);
      sql.exec(`DROP TABLE counted_reports`);
    },
  },
  {
    version: 3,
    description: "the figures versions are compared by, per minute, locale and bot version",
    up(sql) {
      // VersionRollupFiguresSchema as JSON (shared/schemas/analytics.ts); docs/bot-versions.md.
      sql.exec(`CREATE TABLE version_rollups (
        minute INTEGER NOT NULL,
        locale TEXT NOT NULL,
        version INTEGER NOT NULL,
        figures TEXT NOT NULL,
        PRIMARY KEY (minute, locale, version)
      ) WITHOUT ROWID`);
    },
  },
  {
    version: 4,
    description:
      "signed-in users' conversations per pseudonymous key and day (user-days.ts): returning users, conversations per user, weekly cohorts; erasable by key",
    up(sql) {
      sql.exec(`CREATE TABLE user_days (
        user_key TEXT NOT NULL,
        day INTEGER NOT NULL,
        conversations INTEGER NOT NULL,
        PRIMARY KEY (user_key, day)
      ) WITHOUT ROWID`);
      sql.exec(`CREATE INDEX user_days_by_day ON user_days (day)`);
    },
  },
  {
    version: 5,
    description:
      "erased users' pseudonymous keys and when, kept ERASURE_MEMORY_MS (user-days.ts): a report of a conversation started before the erasure that arrives after it is not counted",
    up(sql) {
      sql.exec(`CREATE TABLE erased_users (user_key TEXT PRIMARY KEY, erased_at INTEGER NOT NULL) WITHOUT ROWID`);
    },
  },
];
