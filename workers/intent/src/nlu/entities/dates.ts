import type { LocalDate } from "./calendar.ts";
import { checked } from "./date-rules.ts";
import { extractorsFor, perLocale, type DateMatch, type DatePattern } from "./languages/index.ts";
import { MAX_ENTITIES_PER_EXTRACTOR } from "./types.ts";
import type { Locale } from "../../../../../shared/schemas/nlu.ts";

export type { DateMatch } from "./languages/index.ts";

/** Dates every language writes the same way: 2025-12-24, 2025/12/24. */
const ISO_DATE: DatePattern = [/\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/gu, (m) => checked({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })];

const patternsFor = perLocale((locale) => [ISO_DATE, ...extractorsFor(locale).active.flatMap((lists) => lists.dates ?? [])]);

/**
 * `today` is called only when something matched (it costs a time-zone conversion). A pattern stops
 * after as many dates as the extractor may return: "1/1/1/…" has a thousand of them, and resolving
 * each would cost a message several times an ordinary one for entities that are dropped anyway.
 */
export function findDates(text: string, locale: Locale, today: () => LocalDate): DateMatch[] {
  const matches: DateMatch[] = [];
  // Characters a kept match covers: an overlap is found in the time it takes to read the match.
  const taken = new Uint8Array(text.length);
  for (const [pattern, resolve] of patternsFor(locale)) {
    let kept = 0;
    for (const m of text.matchAll(pattern)) {
      if (kept >= MAX_ENTITIES_PER_EXTRACTOR) break;
      const start = m.index;
      const end = start + m[0].length;
      // Patterns are tried most specific first; a later overlapping match is dropped.
      if (taken.subarray(start, end).includes(1)) continue;
      const resolved = resolve(m, today());
      if (!resolved) continue;
      matches.push({ ...resolved, start, end });
      taken.fill(1, start, end);
      kept++;
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}
