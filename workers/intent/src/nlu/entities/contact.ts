import { type Entity, type ExtractionInput, makeEntity, MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";

// The local part starts where a run of its characters starts (the lookbehind): the search would
// otherwise read a long run without an "@" once from each of its positions.
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gu;
// Chinese mobile (11 digits starting 1[3-9]), Chinese landline (0xx-xxxxxxxx), or a North-American /
// international number with at least 10 digits; separators are spaces, dots, dashes, brackets.
const PHONE = /(?<![\w+])(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-\d{7,8}|(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})(?!\w)/gu;

export function extractEmails(input: ExtractionInput): Entity[] {
  const found: Entity[] = [];
  for (const match of input.normalized.matchAll(EMAIL)) {
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) break;
    found.push(makeEntity(input, "email", match[0], match.index, match.index + match[0].length, "email"));
  }
  return found;
}

/** Phone numbers; the value keeps only digits and a leading "+". */
export function extractPhones(input: ExtractionInput): Entity[] {
  const found: Entity[] = [];
  for (const match of input.normalized.matchAll(PHONE)) {
    if (found.length >= MAX_ENTITIES_PER_EXTRACTOR) break;
    const value = (match[0].startsWith("+") ? "+" : "") + match[0].replace(/\D/g, "");
    found.push(makeEntity(input, "phone", value, match.index, match.index + match[0].length, "phone"));
  }
  return found;
}
