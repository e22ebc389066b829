// Signed-in users' figures of a bot over a range, from its analytics shards' parts (user-days.ts).
// Each user's days are in one shard, so every count adds up exactly. Kept apart from the Durable
// Object class so the gateway's routes load without the Workers runtime.
import {
  COHORT_WEEKS,
  USER_ACTIVITY_RETENTION_DAYS,
  type AnalyticsRange,
  type UserBehaviour,
  type UserBehaviourPart,
  type UserBehaviourRange,
} from "../../shared/schemas/index.ts";

const MINUTES_PER_DAY = 1440;

/** The whole UTC days a range of minutes touches. */
export function userBehaviourRange(range: Pick<AnalyticsRange, "fromMinute" | "toMinute">): UserBehaviourRange {
  return { fromDay: Math.floor(range.fromMinute / MINUTES_PER_DAY), toDay: Math.ceil(range.toMinute / MINUTES_PER_DAY) };
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : Math.max(0, Math.min(1, part / whole)));

/** The shards' parts added up, with rates and retention shares. */
export function mergeUserBehaviour(parts: readonly UserBehaviourPart[]): UserBehaviour {
  const sum = (pick: (part: UserBehaviourPart) => number): number => parts.reduce((total, part) => total + pick(part), 0);
  const activeUsers = sum((part) => part.activeUsers);
  const returningUsers = sum((part) => part.returningUsers);
  const conversations = sum((part) => part.conversations);
  const weeks = parts[0]?.cohorts.map((cohort) => cohort.week) ?? [];
  const cohorts = weeks.slice(0, COHORT_WEEKS).map((week, i) => {
    const users = sum((part) => part.cohorts[i]?.users ?? 0);
    const length = parts[0]?.cohorts[i]?.active.length ?? 0;
    const active = Array.from({ length }, (_, k) => sum((part) => part.cohorts[i]?.active[k] ?? 0));
    return { week, users, active, retention: active.map((count) => rate(count, users)) };
  });
  return {
    activeUsers,
    newUsers: sum((part) => part.newUsers),
    returningUsers,
    returningRate: rate(returningUsers, activeUsers),
    conversations,
    conversationsPerUser: activeUsers === 0 ? null : conversations / activeUsers,
    cohorts,
    historyDays: USER_ACTIVITY_RETENTION_DAYS,
    rowsRead: sum((part) => part.rows),
  };
}
