import { DEFAULT_DIGITS } from "./number.ts";
import { extractorsFor, literal, perLocale } from "./languages/index.ts";
import { safeNumber } from "./safe-number.ts";
import { type Entity, type ExtractionInput, makeEntity, MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";

/** Symbols and ISO codes before an amount, in every language ("$20", "€5.50", "usd 20"). */
const SYMBOLS: Record<string, string> = {
  "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "hk$": "HKD", "¥": "JPY", "rmb": "CNY", "cny": "CNY", "usd": "USD",
  "eur": "EUR", "gbp": "GBP", "jpy": "JPY",
};
/** ISO codes after an amount, in every language ("20 usd"); each language adds its currency words. */
const CODES: Record<string, string> = {
  usd: "USD", eur: "EUR", gbp: "GBP", jpy: "JPY", cny: "CNY", rmb: "CNY", hkd: "HKD", cad: "CAD", aud: "AUD", chf: "CHF",
};

const compiled = perLocale((locale) => {
  const { own, active } = extractorsFor(locale);
  const digits = own.digits ?? DEFAULT_DIGITS;
  const words: Record<string, string> = { ...CODES };
  const suffixes: Record<string, number> = {};
  for (const lists of active) {
    Object.assign(words, lists.money?.words);
    Object.assign(suffixes, lists.money?.amountSuffixes);
  }
  const symbols: Record<string, string> = { ...SYMBOLS, ...own.money?.symbols };
  const suffixChars = Object.keys(suffixes).join("");
  const amount = `${digits.source}${suffixChars === "" ? "" : `(?:\\s?[${suffixChars}](?![a-z]))?`}`;
  const numberWords = active.flatMap((lists) => (lists.numberWords ? [lists.numberWords] : []));
  const connectors = active.flatMap((lists) => lists.money?.connectors ?? []);
  const wordNames = Object.keys(words).sort((a, b) => b.length - a.length).map(literal).join("|");
  const symbolNames = Object.keys(symbols).sort((a, b) => b.length - a.length).map(literal).join("|");
  return {
    digits,
    suffixes,
    numberWords,
    currencyOfWord: (word: string): string | undefined => words[word.replace(/\s+/g, " ")],
    currencyOfSymbol: (symbol: string): string | undefined => symbols[symbol],
    symbolFirst: new RegExp(`(${symbolNames})\\s?(${amount})`, "gu"),
    // "20 dollars", "veinte euros": amounts are found first — in digits (starting where the digits
    // start, `(?<!\\d[.,]?)`), and in each language's number words — then a currency word is looked for
    // right after each one (sticky). Each amount pattern consumes its whole run whether or not a
    // currency follows, so a long run of digits or number words is read once; one pattern of amount and
    // currency together was read again from each position of such a run, and was too large to analyse.
    amounts: [new RegExp(`(?<!\\d[.,]?)${amount}`, "gu"), ...numberWords.map((w) => new RegExp(w.beforeCurrency, "gu"))],
    currencyAfter: new RegExp(`\\s?${connectors.length === 0 ? "" : `(?:(?:${connectors.map(literal).join("|")})\\s+)?`}(${wordNames})(?![a-z])`, "uy"),
  };
});

type Compiled = ReturnType<typeof compiled>;

function parseAmount(raw: string, money: Compiled): number | undefined {
  const compact = raw.replace(/\s/g, "");
  const suffix = compact.length > 1 ? money.suffixes[compact[compact.length - 1] ?? ""] : undefined;
  if (suffix !== undefined && /\d$/.test(compact.slice(0, -1))) {
    const base = money.digits.parse(compact.slice(0, -1));
    return base === undefined ? undefined : safeNumber(base * suffix);
  }
  if (/^\d/.test(compact)) return money.digits.parse(compact);
  for (const words of money.numberWords) {
    const value = words.parse(raw);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Money with an ISO 4217 currency: "$20", "20 dollars", "€5.50", "50元", "¥20", "三百块", "两千美元",
 * "veinte euros", "20 €". What "¥" means depends on the message's language (CNY in Chinese, else JPY).
 */
export function extractMoney(input: ExtractionInput): Entity[] {
  const money = compiled(input.locale);
  const found: Entity[] = [];
  for (const match of input.folded.matchAll(money.symbolFirst)) {
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
    const currency = money.currencyOfSymbol(match[1] ?? "");
    const amount = parseAmount(match[2] ?? "", money);
    if (currency && amount !== undefined) {
      found.push(makeEntity(input, "money", { amount, currency }, match.index, match.index + match[0].length, "money"));
    }
  }
  for (const pattern of money.amounts) {
    for (const match of input.folded.matchAll(pattern)) {
      if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
      const end = match.index + match[0].length;
      money.currencyAfter.lastIndex = end;
      const after = money.currencyAfter.exec(input.folded);
      if (!after) continue;
      const currency = money.currencyOfWord(after[1] ?? "");
      const amount = parseAmount(match[0], money);
      if (currency && amount !== undefined) {
        found.push(makeEntity(input, "money", { amount, currency }, match.index, end + after[0].length, "money"));
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
