import { addDays, isValidDate, type LocalDate, weekdayOf } from "./calendar.ts";
import { parseChineseNumber, parseEnglishNumber, ZH_NUMERAL_CHARS, zhNumber } from "./numerals.ts";

/** A date expression found in normalised text. */
export interface DateMatch {
  start: number;
  end: number;
  date: LocalDate;
  /** "tonight", "今晚": a following "8 o'clock" means 20:00. */
  evening?: boolean;
  /** Relative to now in minutes ("in 2 hours"): an instant rather than a date. */
  offsetMinutes?: number;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const ZH_WEEKDAY = "一二三四五六日天";
const ZH_NUM = `(?:\\d{1,4}|[${ZH_NUMERAL_CHARS}]{1,4})`;

const EN_RELATIVE_DAYS: Record<string, number> = {
  "the day after tomorrow": 2, "day after tomorrow": 2, "the day before yesterday": -2, "day before yesterday": -2,
  today: 0, tonight: 0, tomorrow: 1, tmrw: 1, tmr: 1, yesterday: -1,
};
const ZH_RELATIVE_DAYS: Record<string, number> = {
  大后天: 3, 后天: 2, 明天: 1, 明日: 1, 明晚: 1, 今天: 0, 今日: 0, 今晚: 0, 昨天: -1, 昨晚: -1, 前天: -2, 大前天: -3,
};

const PATTERNS: Array<[RegExp, (m: RegExpMatchArray, today: LocalDate) => Omit<DateMatch, "start" | "end"> | undefined]> = [
  [/\b(?:the )?day (?:after tomorrow|before yesterday)\b|\b(?:today|tonight|tomorrow|tmrw|tmr|yesterday)\b/gu,
    (m, today) => ({ date: addDays(today, EN_RELATIVE_DAYS[m[0]] ?? 0), evening: m[0] === "tonight" })],
  [/大后天|后天|明天|明日|明晚|今天|今日|今晚|大前天|前天|昨天|昨晚/gu,
    (m, today) => ({ date: addDays(today, ZH_RELATIVE_DAYS[m[0]] ?? 0), evening: m[0].endsWith("晚") })],
  [/\b(?:(next|this|last|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gu,
    (m, today) => ({ date: weekdayDate(today, WEEKDAYS.indexOf(m[2] ?? ""), m[1] === "next" ? 1 : m[1] === "last" ? -1 : m[1] === "this" ? 0 : undefined) })],
  [new RegExp(`(这|本|下下|下|上上|上)?个?(?:周|星期|礼拜)([${ZH_WEEKDAY}1-7])`, "gu"),
    (m, today) => {
      const shift = { 这: 0, 本: 0, 下下: 2, 下: 1, 上上: -2, 上: -1 }[m[1] ?? ""];
      const day = m[2] ?? "";
      const index = /\d/.test(day) ? Number(day) - 1 : Math.min(ZH_WEEKDAY.indexOf(day), 6);
      return { date: weekdayDate(today, index, shift) };
    }],
  [/\bin\s+(\d+|an?|[a-z]+)\s+(minute|hour|day|week|month)s?\b|\b(\d+|[a-z]+)\s+(minute|hour|day|week|month)s?\s+(from now|later|ago)\b/gu,
    (m, today) => {
      const amountText = m[1] ?? m[3] ?? "";
      const amount = /^\d+$/.test(amountText) ? Number(amountText) : amountText === "a" || amountText === "an" ? 1 : parseEnglishNumber(amountText);
      if (amount === undefined) return undefined;
      return relative(today, amount * (m[5] === "ago" ? -1 : 1), m[2] ?? m[4] ?? "day");
    }],
  [new RegExp(`(${ZH_NUM}|半)\\s*(?:个)?(分钟|小时|天|周|星期|月)(后|以后|之后|前|以前|之前)`, "gu"),
    (m, today) => {
      const amount = m[1] === "半" ? 0.5 : zhNumber(m[1] ?? "");
      if (amount === undefined) return undefined;
      const unit = { 分钟: "minute", 小时: "hour", 天: "day", 周: "week", 星期: "week", 月: "month" }[m[2] ?? ""] ?? "day";
      return relative(today, amount * ((m[3] ?? "").endsWith("前") ? -1 : 1), unit);
    }],
  [/\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/gu,
    (m) => checked({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })],
  [new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, "gu"),
    (m, today) => monthDay(today, monthIndex(m[1] ?? ""), Number(m[2]), m[3])],
  [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, "gu"),
    (m, today) => monthDay(today, monthIndex(m[2] ?? ""), Number(m[1]), m[3])],
  [/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b/gu,
    (m, today) => monthDay(today, Number(m[1]), Number(m[2]), m[3] && m[3].length === 2 ? `20${m[3]}` : m[3])],
  [new RegExp(`(?:(\\d{4}|[${ZH_NUMERAL_CHARS}]{4})年)?(${ZH_NUM})月(${ZH_NUM})[日号號]?`, "gu"),
    (m, today) => {
      const year = m[1] === undefined ? undefined : /^\d+$/.test(m[1]) ? m[1] : [...m[1]].map((c) => String(parseChineseNumber(c) ?? 0)).join("");
      return monthDay(today, zhNumber(m[2] ?? "") ?? 0, zhNumber(m[3] ?? "") ?? 0, year);
    }],
  [new RegExp(`(?<![月\\d${ZH_NUMERAL_CHARS}])(${ZH_NUM})[号號](?!码|线|楼|房|床|门)`, "gu"),
    (m, today) => {
      const day = zhNumber(m[1] ?? "");
      return day === undefined ? undefined : monthDay(today, today.month, day, undefined);
    }],
];

/** `today` is called only when something matched (it costs a time-zone conversion). */
export function findDates(text: string, today: () => LocalDate): DateMatch[] {
  const matches: DateMatch[] = [];
  for (const [pattern, resolve] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const resolved = resolve(m, today());
      if (!resolved) continue;
      const candidate: DateMatch = { ...resolved, start: m.index, end: m.index + m[0].length };
      // Patterns are tried most specific first; a later overlapping match is dropped.
      if (!matches.some((other) => other.start < candidate.end && candidate.start < other.end)) matches.push(candidate);
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3)) + 1;
}

function checked(date: LocalDate): { date: LocalDate } | undefined {
  return isValidDate(date) ? { date } : undefined;
}

/**
 * Without a year: this year's date, unless it passed more than 60 days ago — then next year's
 * ("12月25号" in March is the coming Christmas; "march 1" on 5 March is four days ago).
 */
function monthDay(today: LocalDate, month: number, day: number, year: string | undefined): { date: LocalDate } | undefined {
  if (year !== undefined) return checked({ year: Number(year), month, day });
  const thisYear = { year: today.year, month, day };
  if (!isValidDate(thisYear)) return checked({ year: today.year + 1, month, day });
  const daysAgo = (Date.UTC(today.year, today.month - 1, today.day) - Date.UTC(today.year, month - 1, day)) / 86400000;
  return daysAgo > 60 ? checked({ year: today.year + 1, month, day }) : { date: thisYear };
}

/** Weekday `index` (0 = Monday) `weekShift` weeks from this week, or its next occurrence when no shift is said. */
function weekdayDate(today: LocalDate, index: number, weekShift: number | undefined): LocalDate {
  const todayIndex = weekdayOf(today);
  if (weekShift === undefined) return addDays(today, (index - todayIndex + 7) % 7);
  return addDays(today, index - todayIndex + 7 * weekShift);
}

function relative(today: LocalDate, amount: number, unit: string): Omit<DateMatch, "start" | "end"> {
  const minutes = { minute: 1, hour: 60 }[unit];
  if (minutes !== undefined) return { date: today, offsetMinutes: Math.round(amount * minutes) };
  if (unit === "month") {
    const shifted = new Date(Date.UTC(today.year, today.month - 1 + Math.round(amount), 1));
    const year = shifted.getUTCFullYear();
    const month = shifted.getUTCMonth() + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return { date: { year, month, day: Math.min(today.day, lastDay) } };
  }
  return { date: addDays(today, Math.round(amount * (unit === "week" ? 7 : 1))) };
}
