/**
 * The gateway's rate limiters: Cloudflare's Rate Limiting bindings, declared as `[[ratelimits]]` in
 * the root wrangler.toml. How many requests each allows per window is set there, per deployment
 * (and per `[env.*]`); the binding takes nothing else but `period`, 10 or 60 seconds.
 *
 * The binding answers only "allowed or not", so to tell a refused client when to come back the
 * gateway must know each window's length: that is this table, and `shared/rate-limits.test.ts`
 * fails when wrangler.toml (any of its environments) declares another period or another limiter.
 */
import { rateLimitedError, type Outcome } from "./errors.ts";

export const RATE_LIMITERS = {
  CREATE_LIMITER: { counts: "POST /v1/conversations, per client address", periodSeconds: 60 },
  MESSAGE_LIMITER: { counts: "user messages, per conversation (POST …/messages and WebSocket frames together)", periodSeconds: 10 },
  NLU_LIMITER: { counts: "POST /v1/nlu/parse, per client address", periodSeconds: 60 },
} as const satisfies Record<string, { counts: string; periodSeconds: 10 | 60 }>;

export type RateLimiterName = keyof typeof RATE_LIMITERS;

/** The limiter as the `limiter` label of stratus_rate_limited_total names it: create, message, nlu. */
export const limiterLabel = (name: RateLimiterName): string => name.replace(/_LIMITER$/, "").toLowerCase();

/**
 * Seconds until the limiter's current window ends. The binding counts in fixed windows aligned to
 * the clock (Miniflare does exactly that; Cloudflare documents its counts as per location and
 * approximate), so a client that waits this long finds a new budget.
 */
export function retryAfterSeconds(name: RateLimiterName, now: number = Date.now()): number {
  const windowMs = RATE_LIMITERS[name].periodSeconds * 1000;
  return Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
}

/** What the gateway needs of a Rate Limiting binding (the runtime's `RateLimit`). */
export interface Limiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Counts one request under `key`; refused with `rate_limited` and its retry hint once the window's budget is spent. */
export async function takeRateLimit(
  limiter: Limiter,
  name: RateLimiterName,
  key: string,
): Promise<Outcome<object, "rate_limited">> {
  const { success } = await limiter.limit({ key });
  if (success) return { ok: true };
  return { ok: false, error: rateLimitedError(retryAfterSeconds(name)) };
}
