/** How date expressions resolve against today: the conventions every language's patterns share. */
import { addDays, isValidDate, type LocalDate, weekdayOf } from "./calendar.ts";
import type { DateResolution } from "./languages/types.ts";

export function checked(date: LocalDate): { date: LocalDate } | undefined {
  return isValidDate(date) ? { date } : undefined;
}

/**
 * Without a year: this year's date, unless it passed more than 60 days ago — then next year's
 * ("12月25号" in March is the coming Christmas; "march 1" on 5 March is four days ago).
 */
export function monthDay(today: LocalDate, month: number, day: number, year: string | undefined): { date: LocalDate } | undefined {
  if (year !== undefined) return checked({ year: Number(year), month, day });
  const thisYear = { year: today.year, month, day };
  if (!isValidDate(thisYear)) return checked({ year: today.year + 1, month, day });
  const daysAgo = (Date.UTC(today.year, today.month - 1, today.day) - Date.UTC(today.year, month - 1, day)) / 86400000;
  return daysAgo > 60 ? checked({ year: today.year + 1, month, day }) : { date: thisYear };
}

/** Weekday `index` (0 = Monday) `weekShift` weeks from this week, or its next occurrence (today included) when no shift is said. */
export function weekdayDate(today: LocalDate, index: number, weekShift: number | undefined): LocalDate {
  const todayIndex = weekdayOf(today);
  if (weekShift === undefined) return addDays(today, (index - todayIndex + 7) % 7);
  return addDays(today, index - todayIndex + 7 * weekShift);
}

/** The first weekday `index` after today (1–7 days ahead), or the last one before it (1–7 days back). */
export function adjacentWeekday(today: LocalDate, index: number, direction: 1 | -1): LocalDate {
  const todayIndex = weekdayOf(today);
  const distance = direction === 1 ? ((index - todayIndex + 6) % 7) + 1 : ((todayIndex - index + 6) % 7) + 1;
  return addDays(today, direction * distance);
}

/** A relative expression further away than this is not a date anyone means (and could leave the calendar). */
const MAX_RELATIVE_DAYS = 36_525;
const MINUTES_PER = { minute: 1, hour: 60, day: 1440, week: 10_080, month: 43_830 } as const;
export type RelativeUnit = keyof typeof MINUTES_PER;

/** `amount` units from today ("in 3 days", "2小时后", "hace una semana"); undefined when absurdly far. */
export function relative(today: LocalDate, amount: number, unit: RelativeUnit): DateResolution | undefined {
  if (!Number.isFinite(amount) || Math.abs(amount * MINUTES_PER[unit]) > MAX_RELATIVE_DAYS * 1440) return undefined;
  if (unit === "minute" || unit === "hour") return { date: today, offsetMinutes: Math.round(amount * MINUTES_PER[unit]) };
  if (unit === "month") {
    const shifted = new Date(Date.UTC(today.year, today.month - 1 + Math.round(amount), 1));
    const year = shifted.getUTCFullYear();
    const month = shifted.getUTCMonth() + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return { date: { year, month, day: Math.min(today.day, lastDay) } };
  }
  return { date: addDays(today, Math.round(amount * (unit === "week" ? 7 : 1))) };
}
