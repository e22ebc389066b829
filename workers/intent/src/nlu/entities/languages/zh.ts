/** Chinese numerals, word lists and patterns for the built-in extractors. */
import { addDays } from "../calendar.ts";
import { monthDay, relative, type RelativeUnit, weekdayDate } from "../date-rules.ts";
import { safeNumber } from "../safe-number.ts";
import type { LanguageExtractors } from "./types.ts";

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** Chinese numeral characters, for building regexes. */
const NUMERAL_CHARS = "零〇一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億";

const MAX_NUMERAL_LENGTH = 48;

/** "三百" → 300, "两千五" → 2500, "十二" → 12, "一二三" → 123, "3.5万" → 35000; undefined past a safe number. */
export function parseChineseNumber(text: string): number | undefined {
  // The longest safe integer in numerals takes about 30 characters: a longer run is no number (and
  // is not read digit by digit).
  if (text.length > MAX_NUMERAL_LENGTH) return undefined;
  const mixed = /^(\d+(?:\.\d+)?)([万萬亿億千百])$/u.exec(text);
  if (mixed) {
    const unit = BIG_UNITS[mixed[2] ?? ""] ?? SMALL_UNITS[mixed[2] ?? ""] ?? 1;
    return safeNumber(Math.round(Number(mixed[1]) * unit * 100) / 100);
  }
  if (!/^[零〇一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]+$/u.test(text)) return undefined;
  // Digit strings without units ("一二三") read digit by digit.
  if (![...text].some((c) => c in SMALL_UNITS || c in BIG_UNITS)) {
    return safeNumber(Number([...text].map((c) => DIGITS[c] ?? 0).join("")));
  }
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  for (const char of text) {
    const value = DIGITS[char];
    if (value !== undefined) {
      digit = value;
      continue;
    }
    const small = SMALL_UNITS[char];
    if (small !== undefined) {
      section += (digit === 0 && small === 10 ? 1 : digit) * small;
      digit = 0;
      lastUnit = small;
      continue;
    }
    const big = BIG_UNITS[char] ?? 1;
    total = (total + section + digit) * big;
    section = 0;
    digit = 0;
    lastUnit = big;
  }
  // "两千五" means 2500: a trailing digit after a unit counts one order lower.
  const value = digit !== 0 && lastUnit >= 100 ? total + section + digit * (lastUnit / 10) : total + section + digit;
  // Units without a digit before them ("亿亿") multiply nothing: that is no number.
  return value === 0 && !/[零〇]/u.test(text) ? undefined : safeNumber(value);
}

/** A number written with ASCII digits or Chinese numerals ("12", "十二"), as in dates and times. */
function zhNumber(raw: string): number | undefined {
  return /^\d+$/.test(raw) ? Number(raw) : parseChineseNumber(raw);
}

const WEEKDAY = "一二三四五六日天";
const NUM = `(?:\\d{1,4}|[${NUMERAL_CHARS}]{1,4})`;
const RELATIVE_DAYS: Record<string, number> = {
  大后天: 3, 后天: 2, 明天: 1, 明日: 1, 明晚: 1, 今天: 0, 今日: 0, 今晚: 0, 昨天: -1, 昨晚: -1, 前天: -2, 大前天: -3,
};
const UNITS: Record<string, RelativeUnit> = { 分钟: "minute", 小时: "hour", 天: "day", 周: "week", 星期: "week", 月: "month" };
const TIME_NUM = `(?:\\d{1,2}|[${NUMERAL_CHARS}]{1,3})`;

export const zh: LanguageExtractors = {
  numberWords: {
    // A numeral stands alone as a number when it is 2+ characters or followed by a measure word (so
    // the 一 of 一下 / 一起 is not a number, but 一个, 三百, 十 are), or, but for 一, by a unit of time
    // (十年, 五周; 一年 and 一周 say "a year", "this week" more often than a count: 信用卡一年要交多少年费).
    standalone: `[${NUMERAL_CHARS}]{2,}|[${NUMERAL_CHARS}](?=[个块元张件天号点岁月次本位份瓶台斤米分人条双套杯])|[${NUMERAL_CHARS.replace("一", "")}](?=[年周倍])`,
    // From the first numeral of a run only (a run without a currency word after it is read once).
    beforeCurrency: `(?<![${NUMERAL_CHARS}])[${NUMERAL_CHARS}]+`,
    parse: parseChineseNumber,
  },
  digitMultipliers: { chars: "万亿", parse: parseChineseNumber },
  money: {
    words: {
      元: "CNY", 块: "CNY", 块钱: "CNY", 元钱: "CNY", 人民币: "CNY", 美元: "USD", 美金: "USD", 刀: "USD",
      欧元: "EUR", 英镑: "GBP", 日元: "JPY", 港币: "HKD", 港元: "HKD",
    },
    symbols: { "¥": "CNY" },
    amountSuffixes: { 万: 1e4 },
  },
  dates: [
    [/大后天|后天|明天|明日|明晚|今天|今日|今晚|大前天|前天|昨天|昨晚/gu,
      (m, today) => ({ date: addDays(today, RELATIVE_DAYS[m[0]] ?? 0), evening: m[0].endsWith("晚") })],
    [new RegExp(`(这|本|下下|下|上上|上)?个?(?:周|星期|礼拜)([${WEEKDAY}1-7])`, "gu"),
      (m, today) => {
        const shift = { 这: 0, 本: 0, 下下: 2, 下: 1, 上上: -2, 上: -1 }[m[1] ?? ""];
        const day = m[2] ?? "";
        const index = /\d/.test(day) ? Number(day) - 1 : Math.min(WEEKDAY.indexOf(day), 6);
        return { date: weekdayDate(today, index, shift) };
      }],
    [new RegExp(`(${NUM}|半)\\s*(?:个)?(分钟|小时|天|周|星期|月)(后|以后|之后|前|以前|之前)`, "gu"),
      (m, today) => {
        const amount = m[1] === "半" ? 0.5 : zhNumber(m[1] ?? "");
        if (amount === undefined) return undefined;
        return relative(today, amount * ((m[3] ?? "").endsWith("前") ? -1 : 1), UNITS[m[2] ?? ""] ?? "day");
      }],
    [new RegExp(`(?:(\\d{4}|[${NUMERAL_CHARS}]{4})年)?(${NUM})月(${NUM})[日号號]?`, "gu"),
      (m, today) => {
        const year = m[1] === undefined ? undefined : /^\d+$/.test(m[1]) ? m[1] : [...m[1]].map((c) => String(parseChineseNumber(c) ?? 0)).join("");
        return monthDay(today, zhNumber(m[2] ?? "") ?? 0, zhNumber(m[3] ?? "") ?? 0, year);
      }],
    [new RegExp(`(?<![月\\d${NUMERAL_CHARS}])(${NUM})[号號](?!码|线|楼|房|床|门)`, "gu"),
      (m, today) => {
        const day = zhNumber(m[1] ?? "");
        return day === undefined ? undefined : monthDay(today, today.month, day, undefined);
      }],
  ],
  times: [
    // The spaces after a period word only after one ("(word)?\s*" read a run of spaces from each of its positions).
    [new RegExp(`(?:(早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨)\\s*)?(${TIME_NUM})\\s*[点點时時](?:\\s*(半|一刻|三刻)|\\s*(${TIME_NUM})\\s*分?)?`, "gu"),
      (m) => {
        let hour = zhNumber(m[2] ?? "");
        if (hour === undefined || hour > 24) return undefined;
        const period = m[1] ?? "";
        if (/下午|傍晚|晚上|夜里/.test(period) && hour < 12) hour += 12;
        if (period === "中午" && hour < 6) hour += 12;
        let minute = 0;
        if (m[3] === "半") minute = 30;
        else if (m[3] === "一刻") minute = 15;
        else if (m[3] === "三刻") minute = 45;
        else if (m[4] !== undefined) minute = zhNumber(m[4]) ?? 0;
        return { hour: hour % 24, minute, explicitPeriod: period !== "" };
      }],
  ],
  dateTimeJoiners: { after: ["的"] },
};
