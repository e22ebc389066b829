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
