/** English word lists and patterns for the built-in extractors. */
import { addDays } from "../calendar.ts";
import { monthDay, relative, type RelativeUnit, weekdayDate } from "../date-rules.ts";
import { safeNumber } from "../safe-number.ts";
import type { LanguageExtractors } from "./types.ts";

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };

/** Regex source matching a run of English number words ("twenty-five", "a hundred", "two thousand and ten"). */
const WORD = `(?:${[...Object.keys(UNITS), ...Object.keys(SCALES)].join("|")})`;
/** Between two number words: a few spaces or hyphens, or "and" ("a hundred and ten"). */
const WORD_SEPARATOR = `(?:[\\s-]{1,3}|\\s{1,3}and\\s{1,3})`;
const NUMBER_WORDS = `(?:${WORD}(?:${WORD_SEPARATOR}${WORD})*)`;
/** Not after a number word and its separator: an amount starts where its number words start. */
const NOT_INSIDE_NUMBER_WORDS = `(?<!\\b${WORD}${WORD_SEPARATOR})`;

/** "two hundred fifty" → 250; undefined for anything else, or a value no entity may carry. */
export function parseEnglishNumber(words: string): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words.toLowerCase().split(/[\s-]+/)) {
    if (word === "and" || word === "") continue;
    const unit = UNITS[word];
    const scale = SCALES[word];
    if (unit !== undefined) {
      current += unit;
      seen = true;
    } else if (scale !== undefined) {
      current = (current === 0 ? 1 : current) * scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
      seen = true;
    } else return undefined;
  }
  return seen ? safeNumber(total + current) : undefined;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const RELATIVE_DAYS: Record<string, number> = {
  "the day after tomorrow": 2, "day after tomorrow": 2, "the day before yesterday": -2, "day before yesterday": -2,
  today: 0, tonight: 0, tomorrow: 1, tmrw: 1, tmr: 1, yesterday: -1,
};

const UNITS_OF_TIME: Record<string, RelativeUnit> = { minute: "minute", hour: "hour", day: "day", week: "week", month: "month" };

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3)) + 1;
}

function amountOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return text === "a" || text === "an" ? 1 : parseEnglishNumber(text);
}

export const en: LanguageExtractors = {
  numberWords: { standalone: `\\b${NUMBER_WORDS}\\b`, beforeCurrency: `${NOT_INSIDE_NUMBER_WORDS}\\b${NUMBER_WORDS}`, parse: parseEnglishNumber },
  money: {
    words: {
      dollar: "USD", dollars: "USD", bucks: "USD", buck: "USD", euro: "EUR", euros: "EUR",
      pound: "GBP", pounds: "GBP", quid: "GBP", yen: "JPY", yuan: "CNY", renminbi: "CNY",
    },
    amountSuffixes: { k: 1e3, m: 1e6 },
  },
  dates: [
    [/\b(?:the )?day (?:after tomorrow|before yesterday)\b|\b(?:today|tonight|tomorrow|tmrw|tmr|yesterday)\b/gu,
      (m, today) => ({ date: addDays(today, RELATIVE_DAYS[m[0]] ?? 0), evening: m[0] === "tonight" })],
    [/\b(?:(next|this|last|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gu,
      (m, today) => ({ date: weekdayDate(today, WEEKDAYS.indexOf(m[2] ?? ""), m[1] === "next" ? 1 : m[1] === "last" ? -1 : m[1] === "this" ? 0 : undefined) })],
    [/\bin\s+(\d+|an?|[a-z]+)\s+(minute|hour|day|week|month)s?\b|\b(\d+|[a-z]+)\s+(minute|hour|day|week|month)s?\s+(from now|later|ago)\b/gu,
      (m, today) => {
        const amount = amountOf(m[1] ?? m[3] ?? "");
        if (amount === undefined) return undefined;
        return relative(today, amount * (m[5] === "ago" ? -1 : 1), UNITS_OF_TIME[m[2] ?? m[4] ?? ""] ?? "day");
      }],
    [new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, "gu"),
      (m, today) => monthDay(today, monthIndex(m[1] ?? ""), Number(m[2]), m[3])],
    [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, "gu"),
      (m, today) => monthDay(today, monthIndex(m[2] ?? ""), Number(m[1]), m[3])],
    // Month first, as Americans write it.
    [/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b/gu,
      (m, today) => monthDay(today, Number(m[1]), Number(m[2]), m[3] && m[3].length === 2 ? `20${m[3]}` : m[3])],
  ],
  times: [
    [/\b(noon|midday|midnight)\b/gu, (m) => ({ hour: m[1] === "midnight" ? 0 : 12, minute: 0, explicitPeriod: true })],
    [/\b(\d{1,2}|[a-z]+)\s*o'?clock\b/gu, (m) => {
      const hour = /^\d+$/.test(m[1] ?? "") ? Number(m[1]) : parseEnglishNumber(m[1] ?? "");
      return hour === undefined ? undefined : { hour, minute: 0, explicitPeriod: false };
    }],
  ],
  dateTimeJoiners: { after: ["at", "on"], before: ["on"] },
};
