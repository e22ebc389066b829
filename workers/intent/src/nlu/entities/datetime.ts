import { addDays, formatDate, formatDateTime, type LocalDate, localParts } from "./calendar.ts";
import { parseEnglishNumber, ZH_NUMERAL_CHARS, zhNumber } from "./numerals.ts";
import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";
import { findDates, type DateMatch } from "./dates.ts";

/**
 * Dates and times, absolute and relative, English and Chinese, resolved in ctx.timezone relative to
 * ctx.now. A date alone → "YYYY-MM-DD"; with a time → "YYYY-MM-DDTHH:MM:00±HH:MM".
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
  const dates = findDates(input.normalized, today);
  const times = findTimes(input.normalized);
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
    const time = times.find((t) => !usedTimes.has(t) && adjacent(input.normalized, date, t));
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

function adjacent(text: string, date: DateMatch, time: TimeMatch): boolean {
  if (time.start >= date.end) return /^\s*(?:at|@|,|的|on)?\s*$/u.test(text.slice(date.end, time.start));
  if (time.end <= date.start) return /^\s*(?:on|,)?\s*$/u.test(text.slice(time.end, date.start));
  return false;
}

interface TimeMatch {
  start: number;
  end: number;
  hour: number;
  minute: number;
  /** am/pm or 上午/下午 was said, so an evening date must not shift the hour. */
  explicitPeriod: boolean;
}

const ZH_NUM = `(?:\\d{1,2}|[${ZH_NUMERAL_CHARS}]{1,3})`;
const EN_TIME = /\b(\d{1,2})(?::([0-5]\d))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])|\b([01]?\d|2[0-3]):([0-5]\d)\b|\b(noon|midday|midnight)\b|\b(\d{1,2}|[a-z]+)\s*o'?clock\b/gu;
const ZH_TIME = new RegExp(
  `(早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨)?\\s*(${ZH_NUM})\\s*[点點时時](?:\\s*(半|一刻|三刻)|\\s*(${ZH_NUM})\\s*分?)?`,
  "gu",
);

function findTimes(text: string): TimeMatch[] {
  const times: TimeMatch[] = [];
  for (const m of text.matchAll(EN_TIME)) {
    let hour: number | undefined;
    let minute = 0;
    let explicitPeriod = false;
    if (m[1] !== undefined) {
      hour = Number(m[1]) % 12;
      minute = Number(m[2] ?? 0);
      if ((m[3] ?? "").startsWith("p")) hour += 12;
      explicitPeriod = true;
    } else if (m[4] !== undefined) {
      hour = Number(m[4]);
      minute = Number(m[5]);
      explicitPeriod = hour >= 13;
    } else if (m[6] !== undefined) {
      hour = m[6] === "midnight" ? 0 : 12;
      explicitPeriod = true;
    } else if (m[7] !== undefined) {
      hour = /^\d+$/.test(m[7]) ? Number(m[7]) : parseEnglishNumber(m[7]);
    }
    if (hour === undefined || hour > 23 || minute > 59) continue;
    times.push({ start: m.index, end: m.index + m[0].length, hour, minute, explicitPeriod });
  }
  for (const m of text.matchAll(ZH_TIME)) {
    let hour = zhNumber(m[2] ?? "");
    if (hour === undefined || hour > 24) continue;
    const period = m[1] ?? "";
    if (/下午|傍晚|晚上|夜里/.test(period) && hour < 12) hour += 12;
    if (period === "中午" && hour < 6) hour += 12;
    let minute = 0;
    if (m[3] === "半") minute = 30;
    else if (m[3] === "一刻") minute = 15;
    else if (m[3] === "三刻") minute = 45;
    else if (m[4] !== undefined) minute = zhNumber(m[4]) ?? 0;
    if (minute > 59) continue;
    times.push({ start: m.index, end: m.index + m[0].length, hour: hour % 24, minute, explicitPeriod: period !== "" });
  }
  return times;
}

