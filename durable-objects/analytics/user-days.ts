/**
 * Signed-in users' behaviour in a bot's analytics: one row per user and day they started a
 * conversation (`user_days`), keyed by the user's pseudonymous key (a keyed hash of their id,
 * never the id). Reports reach the shard the key hashes to, so each user's rows are all in one
 * shard and the shards' figures add up exactly. Rows live USER_ACTIVITY_RETENTION_DAYS and are
 * erased with the user. An erasure is remembered (the key and when, ERASURE_MEMORY_MS, as the
 * directory remembers an erased conversation's id): a report
 * of a conversation the user started before it that was still on its way — in the analytics queue,
 * or being retried — is not counted when it arrives afterwards, so nothing of the erased user comes
 * back. A conversation started after the erasure counts as a new user's.
 */
import { z } from "zod";
import { COHORT_WEEKS, ERASURE_MEMORY_MS, USER_ACTIVITY_RETENTION_DAYS, type UserActivityRow, type UserBehaviourPart, type UserBehaviourRange } from "../../shared/schemas/index.ts";

const DAY_MS = 86_400_000;
const RowSchema = z.object({ user_key: z.string(), day: z.number().int(), conversations: z.number().int().nonnegative() });

export const dayOf = (at: number): number => Math.floor(at / DAY_MS);
/** The Monday (UTC) of a day's week: day 0, 1970-01-01, was a Thursday. */
export const weekOf = (day: number): number => day - ((((day + 3) % 7) + 7) % 7);
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export class UserDays {
  constructor(private readonly sql: SqlStorage) {}

  /** A conversation of this user started at `at` — not counted if the user was erased since. */
  add(userKey: string, at: number): void {
    this.sql.exec(
      `INSERT INTO user_days (user_key, day, conversations)
         SELECT ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_key = ? AND erased_at >= ?)
         ON CONFLICT (user_key, day) DO UPDATE SET conversations = conversations + 1`,
      userKey,
      dayOf(at),
      userKey,
      at,
    );
  }

  /**
   * This shard's users over a range of whole days: active, new and returning users, their
   * conversations, and the weekly cohorts of the COHORT_WEEKS weeks up to the range's last day.
   * Reads each kept row of the history before the range's end once, user by user.
   */
  behaviour(range: UserBehaviourRange): UserBehaviourPart {
    const lastWeek = weekOf(range.toDay - 1);
    const firstCohort = lastWeek - 7 * (COHORT_WEEKS - 1);
    const cohorts = Array.from({ length: COHORT_WEEKS }, (_, i) => ({ week: firstCohort + 7 * i, users: 0, active: Array<number>(COHORT_WEEKS - i).fill(0) }));
    const part: UserBehaviourPart = { activeUsers: 0, newUsers: 0, returningUsers: 0, conversations: 0, cohorts: [], rows: 0 };
    let user: { key: string; firstDay: number; inRange: number; weeks: Set<number> } | undefined;
    const close = (): void => {
      if (!user) return;
      if (user.inRange > 0) {
        part.activeUsers++;
        part.conversations += user.inRange;
        if (user.firstDay < range.fromDay) part.returningUsers++;
        else part.newUsers++;
      }
      const cohortWeek = weekOf(user.firstDay);
      const cohort = cohorts.find((candidate) => candidate.week === cohortWeek);
      if (cohort) {
        cohort.users++;
        cohort.active.forEach((_, k) => {
          if (user?.weeks.has(cohortWeek + 7 * k)) cohort.active[k] = (cohort.active[k] ?? 0) + 1;
        });
      }
    };
    const rows = this.sql.exec(
      "SELECT user_key, day, conversations FROM user_days WHERE day >= ? AND day < ? ORDER BY user_key, day",
      range.toDay - USER_ACTIVITY_RETENTION_DAYS,
      range.toDay,
    );
    for (const raw of rows) {
      const row = RowSchema.parse(raw);
      part.rows++;
      if (user?.key !== row.user_key) {
        close();
        user = { key: row.user_key, firstDay: row.day, inRange: 0, weeks: new Set() };
      }
      if (row.day >= range.fromDay) user.inRange += row.conversations;
      user.weeks.add(weekOf(row.day));
    }
    close();
    part.cohorts = cohorts.map((cohort) => ({ week: isoDay(cohort.week), users: cohort.users, active: cohort.active }));
    return part;
  }

  /** What the analytics keep of one user, for their export. */
  rowsOf(userKey: string): UserActivityRow[] {
    return this.sql
      .exec("SELECT user_key, day, conversations FROM user_days WHERE user_key = ? ORDER BY day", userKey)
      .toArray()
      .map((raw) => {
        const row = RowSchema.parse(raw);
        return { day: isoDay(row.day), conversations: row.conversations };
      });
  }

  /** Erases one user's rows, and remembers the erasure (`add`); how many rows there were. */
  erase(userKey: string, now: number): number {
    const erased = this.sql.exec("DELETE FROM user_days WHERE user_key = ?", userKey).rowsWritten;
    this.sql.exec(
      "INSERT INTO erased_users (user_key, erased_at) VALUES (?, ?) ON CONFLICT (user_key) DO UPDATE SET erased_at = excluded.erased_at",
      userKey,
      now,
    );
    return erased;
  }

  /** Forgets days past their retention and erasures older than ERASURE_MEMORY_MS; whether any row is left. */
  prune(now: number): boolean {
    this.sql.exec("DELETE FROM user_days WHERE day < ?", dayOf(now) - USER_ACTIVITY_RETENTION_DAYS);
    this.sql.exec("DELETE FROM erased_users WHERE erased_at < ?", now - ERASURE_MEMORY_MS);
    return this.sql.exec("SELECT EXISTS (SELECT 1 FROM user_days) OR EXISTS (SELECT 1 FROM erased_users) AS any").one().any === 1;
  }
}
