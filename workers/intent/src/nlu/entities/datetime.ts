import { addDays, formatDate, formatDateTime, type LocalDate, localParts } from "./calendar.ts";
import { findDates } from "./dates.ts";
import { extractorsFor, literal, perLocale, type DateMatch, type TimeMatch, type TimePattern } from "./languages/index.ts";
import { type Entity, type ExtractionInput, makeEntity, MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";

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
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
    if (date.offsetMinutes !== undefined) {
      // "in 2 hours": an instant, not a calendar date.
      const instant = localParts(input.nowMs + date.offsetMinutes * 60000, input.timezone);
      const value = formatDateTime(instant, instant.hour, instant.minute, input.timezone);
      found.push(makeEntity(input, "datetime", value, date.start, date.end, "datetime"));
      continue;
    }
    const time = adjacentTime(input.folded, date, times, usedTimes, joinsAfter, joinsBefore);
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
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) break;
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

/**
 * The longest gap between a date and its time: a joiner word with a few spaces around it ("tomorrow
 * at 5pm", "5pm, on friday"). A longer gap joins nothing, so it is not even read: the joiner check
 * costs the same whatever lies between a date and a time.
 */
const MAX_JOINER_GAP = 24;

const timeRules = perLocale((locale) => {
  const { active } = extractorsFor(locale);
  const joiners = (side: "after" | "before"): RegExp => {
    const words = [...NEUTRAL_JOINERS[side], ...active.flatMap((lists) => lists.dateTimeJoiners?.[side] ?? [])];
    // The second run of spaces only after a joiner word, so that a gap of spaces alone is read once
    // (with `\s*(?:word)?\s*$` each split of the gap between the two runs was tried).
    return new RegExp(`^\\s*(?:(?:${words.map(literal).join("|")})\\s*)?$`, "u");
  };
  return { times: [...NEUTRAL_TIMES, ...active.flatMap((lists) => lists.times ?? [])], joinsAfter: joiners("after"), joinsBefore: joiners("before") };
});

function adjacent(text: string, date: DateMatch, time: TimeMatch, joinsAfter: RegExp, joinsBefore: RegExp): boolean {
  if (time.start >= date.end) return time.start - date.end <= MAX_JOINER_GAP && joinsAfter.test(text.slice(date.end, time.start));
  if (time.end <= date.start) return date.start - time.end <= MAX_JOINER_GAP && joinsBefore.test(text.slice(time.end, date.start));
  return false;
}

/**
 * The first unused time (in text order) joined to the date. `times` are sorted and do not overlap, so
 * only those ending at most MAX_JOINER_GAP before the date up to those starting at most MAX_JOINER_GAP
 * after it are looked at: found by binary search, a handful at most, however many times the message has.
 */
function adjacentTime(
  text: string,
  date: DateMatch,
  times: readonly TimeMatch[],
  used: ReadonlySet<TimeMatch>,
  joinsAfter: RegExp,
  joinsBefore: RegExp,
): TimeMatch | undefined {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle]?.end ?? Infinity) < date.start - MAX_JOINER_GAP) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < times.length; i++) {
    const time = times[i];
    if (!time || time.start > date.end + MAX_JOINER_GAP) break;
    if (!used.has(time) && adjacent(text, date, time, joinsAfter, joinsBefore)) return time;
  }
  return undefined;
}

/**
 * Times of every pattern, left to right. Where two overlap, the earlier pattern's wins, unless the later
 * one contains it ("a las 15:30" contains the "15:30" a language-neutral pattern found first).
 * `owner[i]` is the kept time covering character i, so a match is checked against the kept times it
 * overlaps in the time it takes to read it (a list of all kept times would make this quadratic).
 */
function findTimes(text: string, patterns: readonly TimePattern[]): TimeMatch[] {
  const owner: Array<TimeMatch | undefined> = new Array<TimeMatch | undefined>(text.length);
  const kept = new Set<TimeMatch>();
  for (const [pattern, resolve] of patterns) {
    for (const m of text.matchAll(pattern)) {
      const resolved = resolve(m);
      if (!resolved || resolved.hour > 23 || resolved.minute > 59 || resolved.hour < 0 || resolved.minute < 0) continue;
      const candidate: TimeMatch = { ...resolved, start: m.index, end: m.index + m[0].length };
      const clashes = new Set<TimeMatch>();
      for (let i = candidate.start; i < candidate.end; i++) {
        const other = owner[i];
        if (other) clashes.add(other);
      }
      const length = candidate.end - candidate.start;
      if ([...clashes].some((other) => !(candidate.start <= other.start && other.end <= candidate.end && length > other.end - other.start))) continue;
      for (const other of clashes) kept.delete(other);
      owner.fill(candidate, candidate.start, candidate.end);
      kept.add(candidate);
    }
  }
  return [...kept].sort((a, b) => a.start - b.start);
}
