/**
 * The formats of each language's countries: national identity numbers and national phone numbers.
 * One entry per locale the platform knows (`satisfies Record<Locale, …>`), so adding a language
 * does not compile until its formats are here. A bot's text is checked against the formats of the
 * bot's languages.
 *
 * Regular expressions here have no quantified group and only bounded repetitions, so each runs in
 * time linear in the text. A number with no separators is taken as a phone only where its shape
 * is distinctive (a Chinese mobile, a Spanish or UK mobile); otherwise it must be written in its
 * country's groups, so that order numbers and amounts are left alone.
 */
import type { Locale } from "../languages/index.ts";
import { chineseResidentIdValid, ninoPrefixValid, spanishIdLetterValid, ssnPartsValid } from "./check-digits.ts";
import { groupLengths, runDigits, type DigitRun } from "./digit-runs.ts";
import type { Finding } from "./findings.ts";

export interface LocaleFormats {
  /** National identity numbers in the text. */
  findNationalIds(text: string): Finding[];
  /** Whether a run of digit groups is a national phone number of the language's countries. */
  isNationalPhone(run: DigitRun): boolean;
}

const sameLengths = (run: DigitRun, ...shapes: number[][]): boolean => {
  const lengths = groupLengths(run).join(",");
  return shapes.some((shape) => shape.join(",") === lengths);
};

function findAll(text: string, pattern: RegExp, format: string, valid: (match: RegExpExecArray) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(pattern)) {
    if (valid(match)) findings.push({ kind: "national_id", format, start: match.index, end: match.index + match[0].length });
  }
  return findings;
}

// --- English: United States and United Kingdom --------------------------------------------------

/**
 * US Social Security number, written 123-45-6789 or 123 45 6789 (a bare 9-digit number is too often
 * something else). Two alternatives rather than a backreference, so the expression stays regular.
 */
const US_SSN = /(?<![0-9A-Za-z-])(?:([0-9]{3})-([0-9]{2})-([0-9]{4})|([0-9]{3}) ([0-9]{2}) ([0-9]{4}))(?![0-9A-Za-z]|-[0-9])/g;
/** UK National Insurance number: two letters (HMRC's allowed ones), six digits, a suffix A-D; "AB 12 34 56 C". */
const UK_NINO = /(?<![0-9A-Za-z])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([A-D])(?![0-9A-Za-z])/g;
/** The same typed in lower case, only without spaces ("ab123456c"): spaced lower case reads like words. */
const UK_NINO_LOWER = /(?<![0-9A-Za-z])([a-ceghj-pr-tw-z][a-ceghj-npr-tw-z])([0-9]{6})([a-d])(?![0-9A-Za-z])/g;

const english: LocaleFormats = {
  findNationalIds: (text) => [
    ...findAll(text, US_SSN, "us_ssn", (match) => ssnPartsValid(match[1] ?? match[4] ?? "", match[2] ?? match[5] ?? "", match[3] ?? match[6] ?? "")),
    ...findAll(text, UK_NINO, "uk_nino", (match) => ninoPrefixValid(match[1] ?? "")),
    ...findAll(text, UK_NINO_LOWER, "uk_nino", (match) => ninoPrefixValid(match[1] ?? "")),
  ],
  isNationalPhone(run) {
    if (run.glued || run.plus) return false;
    const digits = runDigits(run);
    // North American Numbering Plan, in its groups: (415) 555-2671, 415.555.2671, 1 800 555 0199.
    const nanp = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
    const nanpShape = sameLengths(run, [3, 3, 4], [1, 3, 3, 4]) && (digits.length === 10 || digits.startsWith("1"));
    if (nanpShape && /^[2-9][0-9]{2}[2-9]/.test(nanp)) return true;
    // UK: a trunk 0, then 1/2 (geographic), 3 (non-geographic), 7 (mobile) or 8 (free/special): 10-11 digits
    // in groups (020 7946 0958, 0161 496 0000), or a mobile unbroken (07700900123).
    if (!/^0[12378]/.test(digits) || digits.length < 10 || digits.length > 11) return false;
    return run.groups.length >= 2 || (digits.length === 11 && digits.startsWith("07"));
  },
};

// --- Chinese: mainland China -------------------------------------------------------------------

/** Resident identity number: 18 characters (optionally spaced after the region and the birth date), check by ISO 7064 MOD 11-2. */
const CN_RESIDENT_ID =
  /(?<![0-9A-Za-z])[1-9][0-9]{5} ?(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]) ?[0-9]{3}[0-9Xx](?![0-9A-Za-z])/g;

const chinese: LocaleFormats = {
  findNationalIds: (text) =>
    findAll(text, CN_RESIDENT_ID, "cn_resident_id", (match) => chineseResidentIdValid(match[0].replaceAll(" ", "").toUpperCase())),
  isNationalPhone(run) {
    if (run.glued || run.plus) return false;
    const digits = runDigits(run);
    // Mobile: 11 digits from 13x-19x, unbroken or 3-4-4 (138 1234 5678).
    if (/^1[3-9][0-9]{9}$/.test(digits) && sameLengths(run, [11], [3, 4, 4], [3, 8])) return true;
    // Landline: trunk 0, 2-3 digit area code, 7-8 digit local number starting 2-9 (010-62345678,
    // (0755) 81234567, 010 6234 5678).
    const landline = sameLengths(run, [3, 8], [3, 7], [4, 8], [4, 7], [3, 4, 4], [4, 4, 4], [4, 3, 4]);
    return landline && digits.startsWith("0") && /^[2-9]/.test(run.groups[1]?.digits ?? "");
  },
};

// --- Spanish: Spain ------------------------------------------------------------------------------

/** DNI: 8 digits and the check letter ("12345678Z", "12345678-Z"; spaced only with a capital: "envié 12345678 a…" is Spanish). */
const ES_DNI = /(?<![0-9A-Za-z])([0-9]{8})(?:-?([A-Za-z])| ([A-Z]))(?![0-9A-Za-z])/g;
/** NIE: X, Y or Z, 7 digits and the check letter ("X1234567L", "X-1234567-L"). */
const ES_NIE = /(?<![0-9A-Za-z])([XYZxyz])[ -]?([0-9]{7})(?:-?([A-Za-z])| ([A-Z]))(?![0-9A-Za-z])/g;

const spanish: LocaleFormats = {
  findNationalIds: (text) => [
    ...findAll(text, ES_DNI, "es_dni", (match) => spanishIdLetterValid(match[1] ?? "", match[2] ?? match[3] ?? "")),
    ...findAll(text, ES_NIE, "es_nie", (match) => spanishIdLetterValid(`${match[1] ?? ""}${match[2] ?? ""}`, match[3] ?? match[4] ?? "")),
  ],
  isNationalPhone(run) {
    if (run.glued || run.plus) return false;
    const digits = runDigits(run);
    if (digits.length !== 9 || !/^[6-9]/.test(digits)) return false;
    // In groups (612 345 678, 91 123 45 67), or a mobile (6xx, 7xx) unbroken.
    return sameLengths(run, [3, 3, 3], [3, 2, 2, 2], [2, 3, 2, 2]) || (run.groups.length === 1 && /^[67]/.test(digits));
  },
};

export const LOCALE_FORMATS = { en: english, zh: chinese, es: spanish } as const satisfies Record<Locale, LocaleFormats>;
