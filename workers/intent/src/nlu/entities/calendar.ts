/**
 * Calendar arithmetic in an IANA time zone without a date library: local calendar dates are kept as
 * UTC-midnight Date values ("floating" dates); offsets come from Intl.DateTimeFormat.
 */

export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

/** Formatter per time zone; `null` remembers a zone Intl rejected (building one costs more than parsing a message). */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function cachedFormatter(timezone: string): Intl.DateTimeFormat | null {
  let cached = formatters.get(timezone);
  if (cached === undefined) {
    try {
      cached = new Intl.DateTimeFormat("en-US", {
        timeZone: timezone, year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23",
      });
    } catch {
      cached = null;
    }
    formatters.set(timezone, cached);
  }
  return cached;
}

function formatter(timezone: string): Intl.DateTimeFormat {
  const cached = cachedFormatter(timezone);
  if (!cached) throw new RangeError(`invalid time zone: ${timezone}`);
  return cached;
}

/** True when Intl knows the IANA time zone (checked once per zone; the formatter is kept for later use). */
export function isValidTimezone(timezone: string): boolean {
  return cachedFormatter(timezone) !== null;
}

/** The wall-clock date and time of an instant in a time zone. */
export function localParts(instantMs: number, timezone: string): LocalDateTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return { year, month, day, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0, second: parts.second ?? 0, weekday };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export function weekdayOf(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function isValidDate(date: LocalDate): boolean {
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return check.getUTCFullYear() === date.year && check.getUTCMonth() === date.month - 1 && check.getUTCDate() === date.day;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

export function formatDate(date: LocalDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** Offset of the zone from UTC in minutes at an instant. */
function offsetMinutes(instantMs: number, timezone: string): number {
  const local = localParts(instantMs, timezone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

/** "2025-03-05T15:00:00+08:00": a wall-clock time in the zone, with the zone's offset at that time. */
export function formatDateTime(date: LocalDate, hour: number, minute: number, timezone: string): string {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let offset = offsetMinutes(wallAsUtc, timezone);
  offset = offsetMinutes(wallAsUtc - offset * 60000, timezone);
  const sign = offset >= 0 ? "+" : "-";
  const absolute = Math.abs(offset);
  return `${formatDate(date)}T${pad(hour)}:${pad(minute)}:00${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}
