import { hashString } from "../hash.ts";
import type { ReleaseState } from "../schemas/bot-versions.ts";

/** murmur3's finaliser: spreads FNV-1a's bits, whose low and high bits are weak on their own. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Where a conversation falls in [0, 1) for a canary of `version`: a stable hash of its id, so the
 * same conversation always gets the same answer (a retried creation, any gateway isolate), salted
 * with the version so that each canary samples its own conversations, and independent of the
 * queue shard (shared/queue-shards.ts hashes the bare id).
 */
export function canaryPoint(conversationId: string, version: number): number {
  return mix32(hashString(`stratus/canary/${version}/${conversationId}`)) / 2 ** 32;
}

/** The version a new conversation starts on: the canary for its share of conversations, else the current one. */
export function versionFor(release: ReleaseState, conversationId: string): number {
  const { canary } = release;
  if (canary !== null && canaryPoint(conversationId, canary.version) * 100 < canary.percent) return canary.version;
  return release.current;
}
