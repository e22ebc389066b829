/** What redaction found in a text, and how each kind is shown once masked. */

export type FindingKind = "marked" | "iban" | "email" | "national_id" | "card" | "phone";

export interface Finding {
  kind: FindingKind;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** Which format it was: `us_ssn`, `uk_nino`, `cn_resident_id`, `es_dni`, `es_nie`, `visa`… (never the value). */
  format?: string;
  /** The digits a mask keeps (the last four of a card or IBAN), when they help a person tell values apart. */
  keep?: string;
}

/**
 * Where two findings overlap, the one of the earlier kind wins: what the bot marked sensitive,
 * then the formats whose own structure is the most certain.
 */
export const KIND_PRIORITY: readonly FindingKind[] = ["marked", "iban", "email", "national_id", "card", "phone"];

const LABELS: Record<FindingKind, string> = {
  marked: "redacted",
  iban: "iban",
  email: "email",
  national_id: "national id",
  card: "card",
  phone: "phone",
};

/** The text that replaces a finding: `[card ****4242]`, `[email]`. It holds nothing a detector would find again. */
export function maskOf(finding: Pick<Finding, "kind" | "keep">): string {
  return finding.keep === undefined ? `[${LABELS[finding.kind]}]` : `[${LABELS[finding.kind]} ****${finding.keep}]`;
}
