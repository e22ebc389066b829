/** Number words → numbers: English ("two hundred fifty") and Chinese ("两千五百", "3.5万"). */

const EN_UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90,
};
const EN_SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };

/** Regex source matching a run of English number words ("twenty-five", "a hundred", "two thousand and ten"). */
const EN_WORD = `(?:${[...Object.keys(EN_UNITS), ...Object.keys(EN_SCALES)].join("|")})`;
export const EN_NUMBER_WORDS = `(?:${EN_WORD}(?:(?:[\\s-]+|\\s+and\\s+)${EN_WORD})*)`;

export function parseEnglishNumber(words: string): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words.toLowerCase().split(/[\s-]+/)) {
    if (word === "and" || word === "") continue;
    const unit = EN_UNITS[word];
    const scale = EN_SCALES[word];
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
  return seen ? total + current : undefined;
}

const ZH_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};
const ZH_SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const ZH_BIG_UNITS: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** Chinese numeral characters, for building regexes. */
export const ZH_NUMERAL_CHARS = "零〇一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億";

/** "三百" → 300, "两千五" → 2500, "十二" → 12, "一二三" → 123, "3.5万" → 35000. */
export function parseChineseNumber(text: string): number | undefined {
  const mixed = /^(\d+(?:\.\d+)?)([万萬亿億千百])$/u.exec(text);
  if (mixed) {
    const unit = ZH_BIG_UNITS[mixed[2] ?? ""] ?? ZH_SMALL_UNITS[mixed[2] ?? ""] ?? 1;
    return Math.round(Number(mixed[1]) * unit * 100) / 100;
  }
  if (!/^[零〇一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]+$/u.test(text)) return undefined;
  // Digit strings without units ("一二三") read digit by digit.
  if (![...text].some((c) => c in ZH_SMALL_UNITS || c in ZH_BIG_UNITS)) {
    return Number([...text].map((c) => ZH_DIGITS[c] ?? 0).join(""));
  }
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  for (const char of text) {
    const value = ZH_DIGITS[char];
    if (value !== undefined) {
      digit = value;
      continue;
    }
    const small = ZH_SMALL_UNITS[char];
    if (small !== undefined) {
      section += (digit === 0 && small === 10 ? 1 : digit) * small;
      digit = 0;
      lastUnit = small;
      continue;
    }
    const big = ZH_BIG_UNITS[char] ?? 1;
    total = (total + section + digit) * big;
    section = 0;
    digit = 0;
    lastUnit = big;
  }
  // "两千五" means 2500: a trailing digit after a unit counts one order lower.
  if (digit !== 0 && lastUnit >= 100) return total + section + digit * (lastUnit / 10);
  return total + section + digit;
}

/** A number written with ASCII digits or Chinese numerals ("12", "十二"), as in dates and times. */
export function zhNumber(raw: string): number | undefined {
  return /^\d+$/.test(raw) ? Number(raw) : parseChineseNumber(raw);
}
