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
  const length = candidates.reduce((end, e) => Math.max(end, e.end), 0);
  const custom = keepNonOverlapping(candidates.filter((e) => e.source in CUSTOM_PRIORITY), CUSTOM_PRIORITY, true, length);
  const coveredByCustom = new Uint8Array(length);
  for (const e of custom) coveredByCustom.fill(1, e.start, e.end);
  const builtins = keepNonOverlapping(candidates.filter((e) => e.source in BUILTIN_PRIORITY), BUILTIN_PRIORITY, false, length).filter(
    (e) => !SHADOWED_BY_CUSTOM.has(e.source) || !coveredByCustom.subarray(e.start, e.end).includes(1),
  );
  return [...custom, ...builtins].sort((a, b) => a.start - b.start || a.entity.localeCompare(b.entity));
}

/**
 * `covering[i]` lists the kept entities over character i, so a candidate's clashes are found in the
 * time it takes to read its span, not by comparing it with every kept entity (quadratic in a message
 * with thousands of numbers). A position holds one entity, or with `allowOtherEntity` a few of
 * different entity names.
 */
function keepNonOverlapping(
  entities: Entity[],
  priority: Partial<Record<Entity["source"], number>>,
  allowOtherEntity: boolean,
  length: number,
): Entity[] {
  const rank = (e: Entity): number => priority[e.source] ?? 99;
  const ordered = [...entities].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Entity[] = [];
  const covering: Array<Entity[] | undefined> = new Array<Entity[] | undefined>(length);
  const keep = (candidate: Entity): void => {
    kept.push(candidate);
    for (let i = candidate.start; i < candidate.end; i++) (covering[i] ??= []).push(candidate);
  };
  for (const candidate of ordered) {
    const clashes = new Set<Entity>();
    for (let i = candidate.start; i < candidate.end; i++) for (const other of covering[i] ?? []) clashes.add(other);
    if (clashes.size === 0) {
      keep(candidate);
      continue;
    }
    // The same span may be two different entities of the bot (a lookup `product` and a regex `sku`),
    // but the tagger never adds a second reading to what a regex or lookup already found.
    const onlyOtherEntities = [...clashes].every((other) => other.entity !== candidate.entity && rank(other) === rank(candidate));
    if (allowOtherEntity && onlyOtherEntities) keep(candidate);
  }
  return kept;
}
