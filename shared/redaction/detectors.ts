/**
 * The detectors every text goes through whatever its language: IBANs, e-mail addresses, card
 * numbers and international phone numbers. Each regular expression here has no quantified group
 * and only bounded repetitions of single characters or classes, so it runs in time linear in the
 * text; numbers are read by the scanner in digit-runs.ts instead of a regular expression.
 */
import { IBAN_LENGTHS, ibanChecksumValid, luhnValid } from "./check-digits.ts";
import { runDigits, type DigitRun } from "./digit-runs.ts";
import type { Finding } from "./findings.ts";

const isAlphanumeric = (char: string | undefined): boolean => char !== undefined && /^[0-9A-Za-z]$/.test(char);

/** A country code and check digits not inside a word; the rest of the IBAN is read by `readIban`. */
const IBAN_START = /(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}/g;

/**
 * IBANs, compact ("GB82WEST12345698765432") or in the printed groups of four, with a valid
 * MOD 97-10 check and exactly the country's length. The last four characters are kept.
 */
export function findIbans(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(IBAN_START)) {
    const start = match.index;
    const found = readIban(text, start);
    if (found !== undefined) findings.push({ kind: "iban", start, end: found.end, keep: found.iban.slice(-4) });
  }
  return findings;
}

function readIban(text: string, start: number): { end: number; iban: string } | undefined {
  const country = text.slice(start, start + 2).toUpperCase();
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return undefined;
  let iban = text.slice(start, start + 4).toUpperCase();
  let cursor = start + 4;
  // Bounded by the country's length (at most 34 characters and 8 spaces).
  while (iban.length < length) {
    const char = text[cursor];
    if (isAlphanumeric(char)) {
      iban += (char as string).toUpperCase();
      cursor++;
    } else if (char === " " && iban.length % 4 === 0 && isAlphanumeric(text[cursor + 1])) {
      cursor++;
    } else {
      return undefined;
    }
  }
  if (isAlphanumeric(text[cursor]) || !ibanChecksumValid(iban)) return undefined;
  return { end: cursor, iban };
}

/**
 * A local part and what follows the "@"; the domain is trimmed and checked in code (labels, a
 * top-level domain of letters), which keeps the expression free of quantified groups. Addresses
 * are Latin letters (accents included), digits and the usual signs, so an address written inside
 * Chinese text ends where the Chinese characters begin.
 */
const EMAIL = /(?<![\p{Script=Latin}\p{N}._%+-])[\p{Script=Latin}\p{N}._%+-]{1,64}@[\p{Script=Latin}\p{N}.-]{1,253}/gu;

export function findEmails(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const at = match[0].indexOf("@");
    const domain = trimDomain(match[0].slice(at + 1));
    if (domain === undefined) continue;
    findings.push({ kind: "email", start: match.index, end: match.index + at + 1 + domain.length });
  }
  return findings;
}

/** The domain without the sentence's punctuation after it ("a@b.com."), if it is a domain. */
function trimDomain(candidate: string): string | undefined {
  let end = candidate.length;
  while (end > 0 && (candidate[end - 1] === "." || candidate[end - 1] === "-")) end--;
  const domain = candidate.slice(0, end);
  const labels = domain.split(".");
  if (labels.length < 2 || labels.some((label) => label === "")) return undefined;
  const topLevel = labels[labels.length - 1] as string;
  return /^\p{Script=Latin}{2,63}$/u.test(topLevel) ? domain : undefined;
}

/** Issuer digits of payment cards (ISO/IEC 7812 major industry identifiers 2-6: Mastercard 2-series, Amex, JCB, Diners, Visa, Mastercard, Discover, UnionPay, Maestro). */
const CARD_FIRST_DIGITS = new Set(["2", "3", "4", "5", "6"]);
const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

/**
 * Card numbers in a run of digit groups: 13-19 digits of whole groups, a card issuer's first digit
 * and a valid Luhn check. A run may hold more than the card ("4111 1111 1111 1111 12/27"): the
 * longest valid window of whole groups is taken. The last four digits are kept.
 */
export function findCards(run: DigitRun): Finding[] {
  if (run.glued || run.plus) return [];
  const findings: Finding[] = [];
  const { groups } = run;
  let first = 0;
  while (first < groups.length) {
    let best: { last: number; digits: string } | undefined;
    let digits = "";
    // Each window grows by whole groups and stops past 19 digits: at most 19 groups per start.
    for (let last = first; last < groups.length; last++) {
      const group = groups[last];
      if (group === undefined || group.parenthesized) break;
      digits += group.digits;
      if (digits.length > MAX_CARD_DIGITS) break;
      if (digits.length >= MIN_CARD_DIGITS && CARD_FIRST_DIGITS.has(digits[0] ?? "") && luhnValid(digits)) best = { last, digits };
    }
    if (best === undefined) {
      first++;
      continue;
    }
    const start = groups[first]?.start ?? run.start;
    const end = groups[best.last]?.end ?? run.end;
    findings.push({ kind: "card", start, end, keep: best.digits.slice(-4) });
    first = best.last + 1;
  }
  return findings;
}

/**
 * International numbers in any language: "+" and 8-15 digits (E.164 allows 15), or the "00" prefix
 * and the same. "+44 (0)20 7946 0958" counts its trunk "0" as people write it.
 */
export function isInternationalPhone(run: DigitRun): boolean {
  if (run.glued) return false;
  const digits = runDigits(run);
  if (run.plus) return digits.length >= 8 && digits.length <= 16 && digits[0] !== "0";
  return digits.startsWith("00") && digits[2] !== "0" && digits.length >= 10 && digits.length <= 17;
}
