import { type Entity, type ExtractionInput, makeEntity } from "./types.ts";

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gu;
// Chinese mobile (11 digits starting 1[3-9]), Chinese landline (0xx-xxxxxxxx), or a North-American /
// international number with at least 10 digits; separators are spaces, dots, dashes, brackets.
const PHONE = /(?<![\w+])(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-\d{7,8}|(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})(?!\w)/gu;

export function extractEmails(input: ExtractionInput): Entity[] {
  return [...input.normalized.matchAll(EMAIL)].map((match) =>
    makeEntity(input, "email", match[0], match.index, match.index + match[0].length, "email"),
  );
}

/** Phone numbers; the value keeps only digits and a leading "+". */
export function extractPhones(input: ExtractionInput): Entity[] {
  return [...input.normalized.matchAll(PHONE)].map((match) => {
    const value = (match[0].startsWith("+") ? "+" : "") + match[0].replace(/\D/g, "");
    return makeEntity(input, "phone", value, match.index, match.index + match[0].length, "phone");
  });
}
