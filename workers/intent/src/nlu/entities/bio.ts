/** BIO tag sets: tag 0 is "O", then B-/I- of each entity type in order. */
import { u16 } from "../checked.ts";

export function tagNames(entityTypes: string[]): string[] {
  return ["O", ...entityTypes.flatMap((type) => [`B-${type}`, `I-${type}`])];
}

export function isInside(tag: number): boolean {
  return tag > 0 && tag % 2 === 0;
}

/** Token tags → spans [firstToken, lastToken] with entity type index. */
export function tagsToSpans(tags: Uint16Array): Array<{ type: number; first: number; last: number }> {
  const spans: Array<{ type: number; first: number; last: number }> = [];
  for (let i = 0; i < tags.length; i++) {
    const tag = u16(tags, i);
    if (tag === 0) continue;
    const type = (tag - 1) >> 1;
    const last = spans[spans.length - 1];
    if (isInside(tag) && last && last.type === type && last.last === i - 1) last.last = i;
    else spans.push({ type, first: i, last: i });
  }
  return spans;
}
