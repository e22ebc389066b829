import type { Entity } from "./types.ts";

/**
 * Which source wins when two entities overlap: a bot's own regexes and lookups first, then the
 * pattern-exact built-ins, then the (statistical, so less certain) tagger, then bare numbers.
 */
const PRIORITY: Record<Entity["source"], number> = {
  regex: 0, lookup: 0, email: 2, money: 3, datetime: 4, phone: 5, tagger: 6, number: 7,
};
const CUSTOM = new Set<Entity["source"]>(["regex", "lookup", "tagger"]);

/**
 * Keeps non-overlapping entities, preferring higher-priority sources, then longer spans, then earlier
 * ones; the same span may still carry two different custom entities (e.g. a lookup and a regex).
 */
export function resolveOverlaps(candidates: Entity[]): Entity[] {
  const ordered = [...candidates].sort(
    (a, b) => PRIORITY[a.source] - PRIORITY[b.source] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Entity[] = [];
  for (const candidate of ordered) {
    const clash = kept.find((other) => other.start < candidate.end && candidate.start < other.end);
    if (!clash) {
      kept.push(candidate);
      continue;
    }
    const bothCustom = CUSTOM.has(clash.source) && CUSTOM.has(candidate.source);
    const duplicate = kept.some((other) => other.entity === candidate.entity && other.start < candidate.end && candidate.start < other.end);
    if (bothCustom && !duplicate && clash.entity !== candidate.entity) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start || a.entity.localeCompare(b.entity));
}
