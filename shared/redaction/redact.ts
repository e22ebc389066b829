/**
 * Masking personal values wherever text is kept: stored transcripts, logs, analytics samples, the
 * inbox and exports. The turn that needs a value has it in full; what is kept afterwards shows
 * `[card ****4242]`, `[iban ****5432]`, `[email]`, `[phone]`, `[national id]` or `[redacted]`.
 *
 * Pure and synchronous, no Node or Workers API: it runs in every Worker and in Node tools alike.
 * Time is linear in the text (see detectors.ts and digit-runs.ts).
 */
import { LOCALES, type Locale } from "../languages/index.ts";
import type { SlotValue } from "../schemas/dialogue.ts";
import { findCards, findEmails, findIbans, isInternationalPhone } from "./detectors.ts";
import { digitRuns, foldFullwidth } from "./digit-runs.ts";
import { KIND_PRIORITY, maskOf, type Finding } from "./findings.ts";
import { LOCALE_FORMATS } from "./national-formats.ts";

export interface RedactionPolicy {
  /** The languages whose national formats (ids, phone numbers) are looked for; default all the platform knows. */
  locales?: readonly Locale[];
  /** Values known to be sensitive (a sensitive slot's value): masked wherever they occur, case-insensitively. */
  values?: readonly (string | number)[];
  /** Offsets known to be sensitive (entities of a type the bot marks sensitive), end exclusive. */
  spans?: readonly { start: number; end: number }[];
  /**
   * Values the detectors would mask that are no one's personal data: the bot's own contact details,
   * said in its own answers (a hotline, a support address; `ownValuesOf`). Compared as `valueKey`
   * does; a value the bot marks sensitive is masked all the same.
   */
  keep?: readonly string[];
}

export interface Redaction {
  /** The text with every finding replaced by its mask. */
  text: string;
  /** What was masked, by offsets into the original text (never the values). */
  findings: Finding[];
}

/** Values shorter than this are not searched for (a one-character value would mask every such character). */
const MIN_VALUE_LENGTH = 2;
/** Known values searched per text: a policy comes from one turn's slots and entities. */
const MAX_VALUES = 64;

/** Finds and masks the sensitive values in `text`. Masking a masked text changes nothing. */
export function redactText(text: string, policy: RedactionPolicy = {}): Redaction {
  const findings = findSensitive(text, policy);
  if (findings.length === 0) return { text, findings };
  let masked = "";
  let cursor = 0;
  for (const finding of findings) {
    masked += text.slice(cursor, finding.start) + maskOf(finding);
    cursor = finding.end;
  }
  return { text: masked + text.slice(cursor), findings };
}

/** The masked text alone: for a message stored, logged, counted or exported. */
export const maskText = (text: string, policy: RedactionPolicy = {}): string => redactText(text, policy).text;

/** Every finding in `text`, in text order, none overlapping (where two overlap, KIND_PRIORITY decides). */
export function findSensitive(text: string, policy: RedactionPolicy = {}): Finding[] {
  const folded = foldFullwidth(text);
  const locales = policy.locales ?? LOCALES;
  const candidates: Finding[] = [...markedSpans(text, policy), ...markedValues(folded, policy), ...findIbans(folded), ...findEmails(folded)];
  for (const locale of new Set(locales)) candidates.push(...LOCALE_FORMATS[locale].findNationalIds(folded));
  for (const run of digitRuns(folded)) {
    const cards = findCards(run);
    candidates.push(...cards);
    if (cards.length > 0) continue;
    if (isInternationalPhone(run) || locales.some((locale) => LOCALE_FORMATS[locale].isNationalPhone(run))) {
      candidates.push({ kind: "phone", start: run.start, end: run.end });
    }
  }
  const found = resolveOverlaps(candidates, text.length);
  if (!policy.keep || policy.keep.length === 0) return found;
  const kept = new Set(policy.keep.map(valueKey));
  return found.filter((finding) => finding.kind === "marked" || !kept.has(valueKey(text.slice(finding.start, finding.end))));
}

/**
 * The values in `texts` the detectors would mask (not the bot's marks): for the bot's own texts —
 * its responses, FAQ answers and help pages — the contact details it gives everyone, which
 * `RedactionPolicy.keep` leaves unmasked in its replies.
 */
export function ownValuesOf(texts: Iterable<string>, locales: readonly Locale[]): string[] {
  const values = new Set<string>();
  for (const text of texts) {
    for (const finding of findSensitive(text, { locales })) values.add(text.slice(finding.start, finding.end));
  }
  return [...values];
}

/** A detected value as compared for `keep`: lower case, without spaces, dots, dashes or brackets ("+1 555 0199" ≡ "+1-555-0199"). */
function valueKey(value: string): string {
  let key = "";
  for (const char of foldFullwidth(value).toLowerCase()) if (!" .-()\u00a0".includes(char)) key += char;
  return key;
}

function markedSpans(text: string, policy: RedactionPolicy): Finding[] {
  return (policy.spans ?? [])
    .filter((span) => Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end > span.start && span.end <= text.length)
    .map((span) => ({ kind: "marked", start: span.start, end: span.end }));
}

function markedValues(folded: string, policy: RedactionPolicy): Finding[] {
  const values = (policy.values ?? []).slice(0, MAX_VALUES).map((value) => foldFullwidth(String(value).trim()));
  if (values.length === 0) return [];
  // Case-insensitive where lower-casing keeps every offset (it does for nearly all text).
  const lowered = folded.toLowerCase();
  const caseless = lowered.length === folded.length;
  const haystack = caseless ? lowered : folded;
  const findings: Finding[] = [];
  for (const value of new Set(values)) {
    if (value.length < MIN_VALUE_LENGTH) continue;
    const needle = caseless && value.toLowerCase().length === value.length ? value.toLowerCase() : value;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      findings.push({ kind: "marked", start: at, end: at + needle.length });
    }
  }
  return findings;
}

/** Keeps the candidates by kind priority, then position; a candidate overlapping one already kept is dropped. */
function resolveOverlaps(candidates: Finding[], length: number): Finding[] {
  const rank = (finding: Finding): number => KIND_PRIORITY.indexOf(finding.kind);
  const ordered = [...candidates].sort((a, b) => rank(a) - rank(b) || a.start - b.start || b.end - a.end);
  const covered = new Uint8Array(length);
  const kept: Finding[] = [];
  for (const finding of ordered) {
    let free = true;
    for (let at = finding.start; at < finding.end && free; at++) free = covered[at] === 0;
    if (!free) continue;
    covered.fill(1, finding.start, finding.end);
    kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// --- Structured values ---------------------------------------------------------------------------

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A JSON value with every string masked, and the values under `sensitiveKeys` replaced whole: for
 * an action body in a log, an export's nested documents.
 */
export function redactJson(value: JsonValue, policy: RedactionPolicy & { sensitiveKeys?: ReadonlySet<string> } = {}): JsonValue {
  if (typeof value === "string") return maskText(value, policy);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, policy));
  if (value === null || typeof value !== "object") return value;
  const masked: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    masked[key] = policy.sensitiveKeys?.has(key) === true && item !== null ? maskWhole(item) : redactJson(item, policy);
  }
  return masked;
}

/**
 * A dialogue state's slots as they may be kept: a slot the bot marks sensitive is replaced whole
 * (by the card or IBAN mask with its last four when that is what it holds, else `[redacted]`);
 * text in the other slots is masked like any text.
 */
export function redactSlots(
  slots: Readonly<Record<string, SlotValue>>,
  policy: RedactionPolicy & { sensitiveSlots: ReadonlySet<string> },
): Record<string, SlotValue> {
  const masked: Record<string, SlotValue> = {};
  for (const [name, value] of Object.entries(slots)) {
    if (value === null) masked[name] = null;
    else if (policy.sensitiveSlots.has(name)) masked[name] = maskWhole(value);
    else if (typeof value === "string") masked[name] = maskText(value, policy);
    else masked[name] = value;
  }
  return masked;
}

/** A whole sensitive value's mask: the card or IBAN mask when it is one (the last four help), else `[redacted]`. */
function maskWhole(value: JsonValue | SlotValue): string {
  if (typeof value === "string") {
    const trimmed = value.trim();
    const [only] = findSensitive(trimmed);
    if (only !== undefined && only.start === 0 && only.end === trimmed.length && only.keep !== undefined) return maskOf(only);
  }
  return maskOf({ kind: "marked" });
}
