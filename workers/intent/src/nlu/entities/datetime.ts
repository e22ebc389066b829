import { addDays, formatDate, formatDateTime, type LocalDate, localParts } from "./calendar.ts";
import { findDates } from "./dates.ts";
import { extractorsFor, literal, perLocale, type DateMatch, type TimeMatch, type TimePattern } from "./languages/index.ts";
import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";

/**
 * Dates and times, absolute and relative, in the message's languages (see languages/), resolved in
 * ctx.timezone relative to ctx.now. A date alone → "YYYY-MM-DD"; with a time → "YYYY-MM-DDTHH:MM:00±HH:MM".
 * Conventions: a bare weekday is its next occurrence (today included); "next friday"/"下周五" is the
 * Friday of next week (weeks start Monday); a month/day without a year takes the nearest such date;
 * a time alone is its next occurrence.
 */
export function extractDateTimes(input: ExtractionInput): Entity[] {
  // The time-zone conversion is paid only when a date or time is found (most messages have none).
  let cachedNow: ReturnType<typeof localParts> | undefined;
  const getNow = (): ReturnType<typeof localParts> => (cachedNow ??= localParts(input.nowMs, input.timezone));
  const today = (): LocalDate => {
    const now = getNow();
    return { year: now.year, month: now.month, day: now.day };
  };
  const dates = findDates(input.folded, input.locale, today);
  const { times: timePatterns, joinsAfter, joinsBefore } = timeRules(input.locale);
  const times = findTimes(input.folded, timePatterns);
  const found: Entity[] = [];
  const usedTimes = new Set<TimeMatch>();

  for (const date of dates) {
    if (date.offsetMinutes !== undefined) {
      // "in 2 hours": an instant, not a calendar date.
      const instant = localParts(input.nowMs + date.offsetMinutes * 60000, input.timezone);
      const value = formatDateTime(instant, instant.hour, instant.minute, input.timezone);
      found.push(makeEntity(input, "datetime", value, date.start, date.end, "datetime"));
      continue;
    }
    const time = times.find((t) => !usedTimes.has(t) && adjacent(input.folded, date, t, joinsAfter, joinsBefore));
    if (time) {
      usedTimes.add(time);
      const hour = date.evening && time.hour < 12 && !time.explicitPeriod ? time.hour + 12 : time.hour;
      const value = formatDateTime(date.date, hour, time.minute, input.timezone);
      found.push(makeEntity(input, "datetime", value, Math.min(date.start, time.start), Math.max(date.end, time.end), "datetime"));
    } else {
      found.push(makeEntity(input, "datetime", formatDate(date.date), date.start, date.end, "datetime"));
    }
  }
  for (const time of times) {
    if (usedTimes.has(time)) continue;
    const now = getNow();
    const passed = time.hour * 60 + time.minute <= now.hour * 60 + now.minute;
    const day = passed ? addDays(today(), 1) : today();
    found.push(makeEntity(input, "datetime", formatDateTime(day, time.hour, time.minute, input.timezone), time.start, time.end, "datetime"));
  }
  return found;
}

/** Times every language writes the same way: 5pm, 5:30 a.m., 17:30. */
const NEUTRAL_TIMES: TimePattern[] = [
  [/\b(\d{1,2})(?::([0-5]\d))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/gu, (m) => {
    const hour = (Number(m[1]) % 12) + ((m[3] ?? "").startsWith("p") ? 12 : 0);
    return { hour, minute: Number(m[2] ?? 0), explicitPeriod: true };
  }],
  [/\b([01]?\d|2[0-3]):([0-5]\d)\b/gu, (m) => ({ hour: Number(m[1]), minute: Number(m[2]), explicitPeriod: Number(m[1]) >= 13 })],
];
/** Joiners between a date and a time in every language: "friday, 5pm", "friday @ 5pm". */
const NEUTRAL_JOINERS = { after: [",", "@"], before: [","] };

const timeRules = perLocale((locale) => {
  const { active } = extractorsFor(locale);
  const joiners = (side: "after" | "before"): RegExp => {
    const words = [...NEUTRAL_JOINERS[side], ...active.flatMap((lists) => lists.dateTimeJoiners?.[side] ?? [])];
    return new RegExp(`^\\s*(?:${words.map(literal).join("|")})?\\s*$`, "u");
  };
  return { times: [...NEUTRAL_TIMES, ...active.flatMap((lists) => lists.times ?? [])], joinsAfter: joiners("after"), joinsBefore: joiners("before") };
});

function adjacent(text: string, date: DateMatch, time: TimeMatch, joinsAfter: RegExp, joinsBefore: RegExp): boolean {
  if (time.start >= date.end) return joinsAfter.test(text.slice(date.end, time.start));
  if (time.end <= date.start) return joinsBefore.test(text.slice(time.end, date.start));
  return false;
}

/**
 * Times of every pattern, left to right. Where two overlap, the earlier pattern's wins, unless the later
 * one contains it ("a las 15:30" contains the "15:30" a language-neutral pattern found first).
 */
function findTimes(text: string, patterns: readonly TimePattern[]): TimeMatch[] {
  let times: TimeMatch[] = [];
  for (const [pattern, resolve] of patterns) {
    for (const m of text.matchAll(pattern)) {
      const resolved = resolve(m);
      if (!resolved || resolved.hour > 23 || resolved.minute > 59 || resolved.hour < 0 || resolved.minute < 0) continue;
      const candidate: TimeMatch = { ...resolved, start: m.index, end: m.index + m[0].length };
      const clashes = times.filter((other) => other.start < candidate.end && candidate.start < other.end);
      if (clashes.length > 0 && !clashes.every((other) => candidate.start <= other.start && other.end <= candidate.end && candidate.end - candidate.start > other.end - other.start)) continue;
      times = times.filter((other) => !clashes.includes(other));
      times.push(candidate);
    }
  }
  return times.sort((a, b) => a.start - b.start);
}
