/**
 * How long a conversation is kept: the deployment's STRATUS_RETENTION_DAYS after its last message
 * (or its creation, if nobody wrote). Its bot's directory sweeps for idle conversations and asks each
 * to expire (durable-objects/directory/), so keeping a conversation costs nothing per turn.
 */
const DAY_MS = 86_400_000;

export type RetentionVerdict =
  | { expired: true }
  /** `expiresAt` null: kept for ever (retention 0). */
  | { expired: false; expiresAt: number | null };

export function retentionVerdict(lastActivityMs: number, now: number, retentionDays: number): RetentionVerdict {
  if (retentionDays === 0) return { expired: false, expiresAt: null };
  const expiresAt = lastActivityMs + retentionDays * DAY_MS;
  return now >= expiresAt ? { expired: true } : { expired: false, expiresAt };
}
