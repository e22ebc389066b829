import type { Entity } from "./types.ts";

/** Among a bot's own entities: its regexes and lookups beat the (statistical) tagger. */
const CUSTOM_PRIORITY: Partial<Record<Entity["source"], number>> = { regex: 0, lookup: 0, tagger: 1 };
/** Among built-ins: the more specific pattern wins ("$20" is money, not a number). */
const BUILTIN_PRIORITY: Partial<Record<Entity["source"], number>> = { email: 0, money: 1, datetime: 2, phone: 3, number: 4 };
/** Built-ins that are only digits: inside a bot's own entity (an order id) they are noise. */
const SHADOWED_BY_CUSTOM = new Set<Entity["source"]>(["number", "phone"]);

/**
 * Resolves overlapping entities. A bot's own entities and built-ins are resolved separately and may
 * overlap each other ("next friday" is both the bot's `depart_day` and a `datetime` with an ISO value),
 * except that a bare number or phone inside a bot's entity is dropped. Within each group, higher
 * priority wins, then the longer span; two different custom entities may share a span.
 */
export function resolveOverlaps(candidates: Entity[]): Entity[] {
  const custom = keepNonOverlapping(candidates.filter((e) => e.source in CUSTOM_PRIORITY), CUSTOM_PRIORITY, true);
  const builtins = keepNonOverlapping(candidates.filter((e) => e.source in BUILTIN_PRIORITY), BUILTIN_PRIORITY, false).filter(
    (e) => !SHADOWED_BY_CUSTOM.has(e.source) || !custom.some((c) => overlaps(c, e)),
  );
  return [...custom, ...builtins].sort((a, b) => a.start - b.start || a.entity.localeCompare(b.entity));
}

function overlaps(a: Entity, b: Entity): boolean {
  return a.start < b.end && b.start < a.end;
}

function keepNonOverlapping(entities: Entity[], priority: Partial<Record<Entity["source"], number>>, allowOtherEntity: boolean): Entity[] {
  const rank = (e: Entity): number => priority[e.source] ?? 99;
  const ordered = [...entities].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Entity[] = [];
  for (const candidate of ordered) {
    const clashes = kept.filter((other) => overlaps(other, candidate));
    if (clashes.length === 0) {
      kept.push(candidate);
      continue;
    }
    // The same span may be two different entities of the bot (a lookup `product` and a regex `sku`),
    // but the tagger never adds a second reading to what a regex or lookup already found.
    const onlyOtherEntities = clashes.every((other) => other.entity !== candidate.entity && rank(other) === rank(candidate));
    if (allowOtherEntity && onlyOtherEntities) kept.push(candidate);
  }
  return kept;
}
