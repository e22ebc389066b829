/**
 * The check digits that tell a real card number, IBAN or national id from any string of the same
 * shape. Masking only values whose check holds keeps order numbers, amounts and dates readable.
 */

/** Luhn (ISO/IEC 7812-1): payment card numbers. `digits` holds ASCII digits only. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * IBAN lengths per country (ISO 13616, SWIFT's IBAN registry). An IBAN has exactly its country's
 * length, which both rejects look-alikes and tells where an IBAN written in groups ends.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 7064 MOD 97-10 over a compact upper-case IBAN (the check digits included): valid when it is 1. */
export function ibanChecksumValid(iban: string): boolean {
  if (iban.length < 5) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CN_CHECK = "10X98765432";

/**
 * A Chinese resident identity number (GB 11643-1999): 6-digit region, birth date YYYYMMDD, 3-digit
 * sequence and an ISO 7064 MOD 11-2 check character (0-9 or X). The birth date must exist.
 */
export function chineseResidentIdValid(id: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return false;
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += (id.charCodeAt(index) - 48) * (CN_WEIGHTS[index] ?? 0);
  if (CN_CHECK[sum % 11] !== id[17]) return false;
  return calendarDateExists(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

function calendarDateExists(year: number, month: number, day: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const SPANISH_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** The check letter of a Spanish DNI (8 digits) or NIE (X/Y/Z read as 0/1/2, then 7 digits). */
export function spanishIdLetterValid(number: string, letter: string): boolean {
  const digits = number.replace(/^[Xx]/, "0").replace(/^[Yy]/, "1").replace(/^[Zz]/, "2");
  if (!/^[0-9]{8}$/.test(digits)) return false;
  return SPANISH_LETTERS[Number(digits) % 23] === letter.toUpperCase();
}

/** A US Social Security number's parts as the SSA issues them: never area 000, 666 or 9xx, group 00 or serial 0000. */
export function ssnPartsValid(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && !area.startsWith("9") && group !== "00" && serial !== "0000";
}

/** Prefixes HMRC never allocates as a National Insurance number (besides the letters the pattern already excludes). */
const NINO_UNUSED_PREFIXES = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

export function ninoPrefixValid(prefix: string): boolean {
  return !NINO_UNUSED_PREFIXES.has(prefix.toUpperCase());
}
