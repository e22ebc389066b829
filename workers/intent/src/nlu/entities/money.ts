import { EN_NUMBER_WORDS, parseChineseNumber, parseEnglishNumber, ZH_NUMERAL_CHARS } from "./numerals.ts";
import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";

const SYMBOLS: Record<string, string> = { "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "hk$": "HKD", "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY" };
const WORDS: Record<string, string> = {
  dollar: "USD", dollars: "USD", bucks: "USD", buck: "USD", usd: "USD", euro: "EUR", euros: "EUR", eur: "EUR",
  pound: "GBP", pounds: "GBP", quid: "GBP", gbp: "GBP", yen: "JPY", jpy: "JPY", yuan: "CNY", rmb: "CNY", cny: "CNY",
  renminbi: "CNY", hkd: "HKD", cad: "CAD", aud: "AUD", chf: "CHF",
  "元": "CNY", "块": "CNY", "块钱": "CNY", "元钱": "CNY", "人民币": "CNY", "美元": "USD", "美金": "USD", "刀": "USD",
  "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "港币": "HKD", "港元": "HKD",
};

const AMOUNT = `(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:\\s?[km万](?![a-z]))?`;
const ZH_AMOUNT = `[${ZH_NUMERAL_CHARS}]+`;
const SYMBOL_FIRST = new RegExp(`(us\\$|hk\\$|\\$|€|£|¥|rmb|cny|usd|eur|gbp|jpy)\\s?(${AMOUNT})`, "gu");
const WORD_NAMES = Object.keys(WORDS).sort((a, b) => b.length - a.length).join("|");
const AMOUNT_FIRST = new RegExp(
  `(${AMOUNT}|\\b${EN_NUMBER_WORDS}|${ZH_AMOUNT})\\s?(${WORD_NAMES})(?![a-z])`,
  "gu",
);

function parseAmount(raw: string): number | undefined {
  const compact = raw.replaceAll(",", "").replace(/\s/g, "");
  const suffix = /^(\d+(?:\.\d+)?)([km万])$/u.exec(compact);
  if (suffix) return Number(suffix[1]) * (suffix[2] === "k" ? 1e3 : suffix[2] === "m" ? 1e6 : 1e4);
  if (/^\d+(?:\.\d+)?$/.test(compact)) return Number(compact);
  return parseEnglishNumber(raw) ?? parseChineseNumber(raw);
}

/**
 * Money with an ISO 4217 currency: "$20", "20 dollars", "€5.50", "50元", "¥20", "三百块", "两千美元".
 * "¥" is CNY in Chinese messages and JPY in English ones.
 */
export function extractMoney(input: ExtractionInput): Entity[] {
  const found: Entity[] = [];
  for (const match of input.normalized.matchAll(SYMBOL_FIRST)) {
    const symbol = match[1] ?? "";
    const currency = symbol === "¥" ? (input.locale === "zh" ? "CNY" : "JPY") : SYMBOLS[symbol];
    const amount = parseAmount(match[2] ?? "");
    if (currency && amount !== undefined) {
      found.push(makeEntity(input, "money", { amount, currency }, match.index, match.index + match[0].length, "money"));
    }
  }
  for (const match of input.normalized.matchAll(AMOUNT_FIRST)) {
    const currency = WORDS[match[2] ?? ""];
    const amount = parseAmount(match[1] ?? "");
    if (currency && amount !== undefined) {
      found.push(makeEntity(input, "money", { amount, currency }, match.index, match.index + match[0].length, "money"));
    }
  }
  return found;
}
