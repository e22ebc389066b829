import type { Entity, Locale } from "../../../../../shared/schemas/nlu.ts";

/** What every extractor gets: the original text, a length-preserving normalised copy, and context. */
export interface ExtractionInput {
  text: string;
  /** Lowercased, full-width folded; same length as `text`, so offsets carry over. */
  normalized: string;
  /** `normalized` with diacritics folded (foldDiacritics), for the number, money and date patterns. */
  folded: string;
  locale: Locale;
  /** "Now" as epoch milliseconds, for relative dates. */
  nowMs: number;
  timezone: string;
}

export type { Entity };

/**
 * The most entities one extractor reports for one message. An ordinary message has a few; thousands
 * ("5pm 5pm 5pm …", 4,000 characters) help nobody and each costs work after its match (a time-zone
 * conversion for a date, an object in the reply), so an extractor stops there.
 */
export const MAX_ENTITIES_PER_EXTRACTOR = 64;

export function makeEntity(
  input: ExtractionInput,
  entity: string,
  value: Entity["value"],
  start: number,
  end: number,
  source: Entity["source"],
): Entity {
  return { entity, value, start, end, text: input.text.slice(start, end), source };
}
