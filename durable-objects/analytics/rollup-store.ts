import {
  BotIdSchema,
  MAX_KEPT_TEXT_LENGTH,
  MinuteRollupRowSchema,
  ROLLUP_RETENTION_DAYS,
  UNRECOGNISED_TEXT_RETENTION_DAYS,
  UnrecognisedTextRowSchema,
  VersionRollupRowSchema,
  type AnalyticsRange,
  type AnalyticsReport,
  type Locale,
  type RollupFigures,
  type VersionRollupFigures,
} from "../../shared/schemas/index.ts";
import type { RangeSummary } from "./analytics-summary.ts";
import { z } from "zod";
import { addReport, addVersionReport, emptyFigures, emptyVersionFigures, isUnrecognised, minuteOf } from "./rollup.ts";
import { UserDays } from "./user-days.ts";

const DAY_MS = 86_400_000;
/** A message delivered again later than this after it was counted would count twice; queues retry within minutes. */
export const COUNTED_KEY_MINUTES = 60;
const KeysSchema = z.array(z.string());
/** Distinct kept texts per hour and locale; beyond it a text is counted (in the rollup) but not kept. */
export const MAX_TEXTS_PER_HOUR = 500;

/** The analytics object's tables (storage-migrations.ts): counting reports in, reading ranges out, forgetting old rows. */
export class RollupStore {
  /** The counted keys by minute (counted_messages), once read. */
  private recentKeys: Map<number, string[]> | undefined;
  /** Signed-in users' conversations per pseudonymous key and day. */
  readonly users: UserDays;

  constructor(private readonly sql: SqlStorage) {
    this.users = new UserDays(sql);
  }

  /**
   * Counts the reports of each message not counted before (by its key: the queue message's id) into
   * their minutes' rows. The caller runs it in one transaction, so a call counts whole or not at all.
   */
  count(messages: readonly { key: string; reports: readonly AnalyticsReport[] }[], keepText: boolean, now: number): { counted: number; duplicates: number } {
    const touched = new Map<string, { minute: number; locale: Locale; figures: RollupFigures }>();
    const rowAt = (minute: number, locale: Locale): RollupFigures => {
      const id = `${minute}:${locale}`;
      let row = touched.get(id);
      if (!row) {
        row = { minute, locale, figures: this.readRow(minute, locale) ?? emptyFigures() };
        touched.set(id, row);
      }
      return row.figures;
    };
    // The same reports by bot version: the figures versions are compared by (docs/bot-versions.md).
    const versionRows = new Map<string, { minute: number; locale: Locale; version: number; figures: VersionRollupFigures }>();
    const versionRowAt = (version: number) => (minute: number, locale: Locale): VersionRollupFigures => {
      const id = `${minute}:${locale}:${version}`;
      let row = versionRows.get(id);
      if (!row) {
        row = { minute, locale, version, figures: this.readVersionRow(minute, locale, version) ?? emptyVersionFigures() };
        versionRows.set(id, row);
      }
      return row.figures;
    };
    const seen = this.countedKeys(now);
    const fresh: string[] = [];
    let counted = 0;
    let duplicates = 0;
    for (const { key, reports } of messages) {
      if (seen.has(key)) {
        duplicates += reports.length;
        continue;
      }
      seen.add(key);
      fresh.push(key);
      for (const report of reports) {
        counted++;
        const { fact } = report;
        if (fact.kind === "user_conversation") {
          this.users.add(fact.userKey, fact.at);
          continue;
        }
        addReport(report, rowAt);
        addVersionReport(report, versionRowAt(report.botVersion ?? 1));
        if (keepText && fact.kind === "turn" && fact.text !== undefined && isUnrecognised(fact)) {
          this.keepText(Math.floor(fact.at / 3_600_000), fact.locale, fact.text, fact.at);
        }
      }
    }
    for (const { minute, locale, figures } of touched.values()) {
      this.sql.exec(
        "INSERT INTO minute_rollups (minute, locale, figures) VALUES (?, ?, ?) ON CONFLICT (minute, locale) DO UPDATE SET figures = excluded.figures",
        minute,
        locale,
        JSON.stringify(figures),
      );
    }
    for (const { minute, locale, version, figures } of versionRows.values()) {
      this.sql.exec(
        "INSERT INTO version_rollups (minute, locale, version, figures) VALUES (?, ?, ?, ?) ON CONFLICT (minute, locale, version) DO UPDATE SET figures = excluded.figures",
        minute,
        locale,
        version,
        JSON.stringify(figures),
      );
    }
    if (fresh.length > 0) this.rememberKeys(minuteOf(now), fresh);
    return { counted, duplicates };
  }

  /**
   * The keys counted in the last COUNTED_KEY_MINUTES minutes (a queue delivers a message again
   * within minutes), read once per object start and kept up to date in memory.
   */
  private countedKeys(now: number): Set<string> {
    const since = minuteOf(now) - COUNTED_KEY_MINUTES;
    if (!this.recentKeys) {
      this.recentKeys = new Map(
        this.sql
          .exec<{ minute: number; keys: string }>("SELECT minute, keys FROM counted_messages WHERE minute >= ?", since)
          .toArray()
          .map((row) => [row.minute, KeysSchema.parse(JSON.parse(row.keys))]),
      );
    }
    for (const minute of this.recentKeys.keys()) if (minute < since) this.recentKeys.delete(minute);
    return new Set([...this.recentKeys.values()].flat());
  }

  /** Adds keys to the current minute's row: one row written per call, however many messages it counted. */
  private rememberKeys(minute: number, keys: readonly string[]): void {
    const all = [...(this.recentKeys?.get(minute) ?? []), ...keys];
    this.recentKeys?.set(minute, all);
    this.sql.exec("INSERT INTO counted_messages (minute, keys) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET keys = excluded.keys", minute, JSON.stringify(all));
  }

  /** The bot these rows are of: the first caller's, for good. Returns it. */
  claimBot(bot: string): string {
    const stored = this.bot();
    if (stored !== undefined) return stored;
    this.sql.exec("INSERT INTO meta (key, value) VALUES ('bot', ?)", JSON.stringify(bot));
    return bot;
  }

  bot(): string | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'bot'").toArray()[0];
    return row === undefined ? undefined : BotIdSchema.parse(JSON.parse(row.value));
  }

  /** Adds every row of the range to `summary`, one row at a time. */
  readRange(range: AnalyticsRange, summary: RangeSummary): void {
    const cursor =
      range.locale === null
        ? this.sql.exec("SELECT minute, locale, figures FROM minute_rollups WHERE minute >= ? AND minute < ?", range.fromMinute, range.toMinute)
        : this.sql.exec(
            "SELECT minute, locale, figures FROM minute_rollups WHERE minute >= ? AND minute < ? AND locale = ?",
            range.fromMinute,
            range.toMinute,
            range.locale,
          );
    for (const raw of cursor) {
      const row = MinuteRollupRowSchema.parse(raw);
      summary.add(row.minute, row.figures);
    }
    // And the range per bot version (docs/bot-versions.md).
    const localeFilter = range.locale === null ? "" : "AND locale = ?";
    const bindings = range.locale === null ? [range.fromMinute, range.toMinute] : [range.fromMinute, range.toMinute, range.locale];
    for (const raw of this.sql.exec(`SELECT minute, locale, version, figures FROM version_rollups WHERE minute >= ? AND minute < ? ${localeFilter}`, ...bindings)) {
      const row = VersionRollupRowSchema.parse(raw);
      summary.addVersion(row.version, row.figures);
    }
  }

  /** The most frequent kept texts of the hours the range touches. */
  topTexts(range: AnalyticsRange, limit: number): { text: string; count: number; lastSeen: string }[] {
    const fromHour = Math.floor(range.fromMinute / 60);
    const toHour = Math.ceil(range.toMinute / 60);
    const localeFilter = range.locale === null ? "" : "AND locale = ?";
    const bindings = range.locale === null ? [fromHour, toHour, limit] : [fromHour, toHour, range.locale, limit];
    return this.sql
      .exec(
        `SELECT text, SUM(count) AS count, MAX(last_seen) AS last_seen FROM unrecognised_texts
         WHERE hour >= ? AND hour < ? ${localeFilter}
         GROUP BY text ORDER BY count DESC, last_seen DESC LIMIT ?`,
        ...bindings,
      )
      .toArray()
      .map((raw) => {
        const row = UnrecognisedTextRowSchema.parse(raw);
        return { text: row.text, count: row.count, lastSeen: new Date(row.last_seen).toISOString() };
      });
  }

  /** Forgets what is past its retention; all kept text when the bot no longer keeps it. Returns whether anything is left. */
  prune(now: number, keepText: boolean): boolean {
    this.sql.exec("DELETE FROM minute_rollups WHERE minute < ?", minuteOf(now - ROLLUP_RETENTION_DAYS * DAY_MS));
    this.sql.exec("DELETE FROM version_rollups WHERE minute < ?", minuteOf(now - ROLLUP_RETENTION_DAYS * DAY_MS));
    this.sql.exec("DELETE FROM counted_messages WHERE minute < ?", minuteOf(now) - COUNTED_KEY_MINUTES);
    if (keepText) this.sql.exec("DELETE FROM unrecognised_texts WHERE last_seen < ?", now - UNRECOGNISED_TEXT_RETENTION_DAYS * DAY_MS);
    else this.sql.exec("DELETE FROM unrecognised_texts");
    const usersLeft = this.users.prune(now);
    const left = this.sql.exec("SELECT EXISTS (SELECT 1 FROM minute_rollups) OR EXISTS (SELECT 1 FROM counted_messages) AS any").one();
    return left.any === 1 || usersLeft;
  }

  private readVersionRow(minute: number, locale: Locale, version: number): VersionRollupFigures | undefined {
    const raw = this.sql.exec("SELECT minute, locale, version, figures FROM version_rollups WHERE minute = ? AND locale = ? AND version = ?", minute, locale, version).toArray()[0];
    return raw === undefined ? undefined : VersionRollupRowSchema.parse(raw).figures;
  }

  private readRow(minute: number, locale: Locale): RollupFigures | undefined {
    const raw = this.sql.exec("SELECT minute, locale, figures FROM minute_rollups WHERE minute = ? AND locale = ?", minute, locale).toArray()[0];
    return raw === undefined ? undefined : MinuteRollupRowSchema.parse(raw).figures;
  }

  private keepText(hour: number, locale: Locale, text: string, at: number): void {
    const kept = text.slice(0, MAX_KEPT_TEXT_LENGTH);
    const bumped = this.sql.exec(
      "UPDATE unrecognised_texts SET count = count + 1, last_seen = MAX(last_seen, ?) WHERE hour = ? AND locale = ? AND text = ?",
      at,
      hour,
      locale,
      kept,
    );
    if (bumped.rowsWritten > 0) return;
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM unrecognised_texts WHERE hour = ? AND locale = ?", hour, locale).one();
    if (n >= MAX_TEXTS_PER_HOUR) return;
    this.sql.exec("INSERT INTO unrecognised_texts (hour, locale, text, count, last_seen) VALUES (?, ?, ?, 1, ?)", hour, locale, kept, at);
  }
}
