import { extractorsFor, perLocale, type DigitFormat } from "./languages/index.ts";
import { safeNumber } from "./safe-number.ts";
import { type Entity, type ExtractionInput, makeEntity, MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";

/** Digits as English and Chinese write them: "1,250.5". */
export const DEFAULT_DIGITS: DigitFormat = {
  source: "(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?",
  parse: (raw) => safeNumber(Number(raw.replaceAll(",", ""))),
};

const compiled = perLocale((locale) => {
  const { own, active } = extractorsFor(locale);
  const digits = own.digits ?? DEFAULT_DIGITS;
  const multipliers = active.flatMap((lists) => (lists.digitMultipliers ? [lists.digitMultipliers] : []));
  const multiplierChars = multipliers.map((m) => m.chars).join("");
  return {
    digits,
    multipliers,
    digitRun: new RegExp(
      `(?<![a-z\\d.,])[-+]?${digits.source}${multiplierChars === "" ? "" : `(?:[${multiplierChars}](?![\\d]))?`}(?![\\d])`,
      "gu",
    ),
    words: active.flatMap((lists) => (lists.numberWords ? [{ pattern: new RegExp(lists.numberWords.standalone, "gu"), parse: lists.numberWords.parse }] : [])),
  };
});

/** Numbers written as digits ("1,250.5", "3万", "1.250,5" in Spanish) or in the message's number words. */
export function extractNumbers(input: ExtractionInput): Entity[] {
  const { digits, multipliers, digitRun, words } = compiled(input.locale);
  const found: Entity[] = [];
  for (const match of input.folded.matchAll(digitRun)) {
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
    const raw = match[0];
    const multiplier = multipliers.find((m) => m.chars.includes(raw[raw.length - 1] ?? ""));
    const value = multiplier ? multiplier.parse(raw) : signed(raw, digits);
    if (value !== undefined) found.push(makeEntity(input, "number", value, match.index, match.index + raw.length, "number"));
  }
  for (const { pattern, parse } of words) {
    for (const match of input.folded.matchAll(pattern)) {
      if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) return found;
      const value = parse(match[0]);
      if (value !== undefined) found.push(makeEntity(input, "number", value, match.index, match.index + match[0].length, "number"));
    }
  }
  return found;
}

function signed(raw: string, digits: DigitFormat): number | undefined {
  const sign = raw[0] === "-" ? -1 : 1;
  const value = digits.parse(raw[0] === "-" || raw[0] === "+" ? raw.slice(1) : raw);
  return value === undefined ? undefined : sign * value;
}
