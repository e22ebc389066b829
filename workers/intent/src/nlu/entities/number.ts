import { EN_NUMBER_WORDS, parseChineseNumber, parseEnglishNumber, ZH_NUMERAL_CHARS } from "./numerals.ts";
import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";

const DIGITS = /(?<![a-z\d.,])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[万亿](?![\d]))?(?![\d])/gu;
const EN_WORDS = new RegExp(`\\b${EN_NUMBER_WORDS}\\b`, "gu");
// A Chinese numeral stands alone as a number when it is 2+ characters or followed by a measure word
// (so the 一 of 一下 / 一起 is not a number, but 一个, 三百, 十 are).
const ZH_NUMERALS = new RegExp(`[${ZH_NUMERAL_CHARS}]{2,}|[${ZH_NUMERAL_CHARS}](?=[个块元张件天号点岁月次本位份瓶台斤米分人条双套杯])`, "gu");

/** Numbers written as digits ("1,250.5", "3万"), English words or Chinese numerals. */
export function extractNumbers(input: ExtractionInput): Entity[] {
  const found: Entity[] = [];
  for (const match of input.normalized.matchAll(DIGITS)) {
    const raw = match[0];
    const value = /[万亿]$/u.test(raw) ? parseChineseNumber(raw) : Number(raw.replaceAll(",", ""));
    if (value !== undefined && Number.isFinite(value)) {
      found.push(makeEntity(input, "number", value, match.index, match.index + raw.length, "number"));
    }
  }
  for (const match of input.normalized.matchAll(EN_WORDS)) {
    const value = parseEnglishNumber(match[0]);
    if (value !== undefined) found.push(makeEntity(input, "number", value, match.index, match.index + match[0].length, "number"));
  }
  for (const match of input.normalized.matchAll(ZH_NUMERALS)) {
    const value = parseChineseNumber(match[0]);
    if (value !== undefined) found.push(makeEntity(input, "number", value, match.index, match.index + match[0].length, "number"));
  }
  return found;
}
