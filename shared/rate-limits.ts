/**
 * The rate limiters: Cloudflare's Rate Limiting bindings, declared as `[[ratelimits]]` in the
 * gateway's root wrangler.toml (the LLM budgets in the dialogue Worker's). How many requests each allows per window is set there, per deployment
 * (and per `[env.*]`); the binding takes nothing else but `period`, 10 or 60 seconds.
 *
 * The binding answers only "allowed or not", so to tell a refused client when to come back the
 * gateway must know each window's length: that is this table, and `test/config/rate-limits.test.ts`
 * fails when a Worker's wrangler.toml (any of its environments) declares another period or another
 * limiter than the ones this table gives that Worker (the LLM budgets are the dialogue Worker's).
 */
import { rateLimitedError, type Outcome } from "./errors.ts";

export const RATE_LIMITERS = {
  CREATE_LIMITER: { worker: "gateway", counts: "POST /v1/conversations, per client address", periodSeconds: 60 },
  MESSAGE_LIMITER: { worker: "gateway", counts: "user messages, per conversation (POST …/messages and WebSocket frames together)", periodSeconds: 10 },
  ADDRESS_MESSAGE_LIMITER: { worker: "gateway", counts: "user messages, per client address, across all its conversations", periodSeconds: 60 },
  NLU_LIMITER: { worker: "gateway", counts: "POST /v1/nlu/parse, per client address", periodSeconds: 60 },
  READ_LIMITER: { worker: "gateway", counts: "reads of a conversation (GET …, GET …/messages), per client address", periodSeconds: 60 },
  SOCKET_LIMITER: { worker: "gateway", counts: "WebSocket opens, per client address", periodSeconds: 60 },
  SOCKET_TICKET_LIMITER: { worker: "gateway", counts: "socket tickets minted (so WebSocket opens), per conversation", periodSeconds: 60 },
  LLM_LIMITER: { worker: "dialogue", counts: "LLM fallback calls, per conversation", periodSeconds: 60 },
  LLM_ADDRESS_LIMITER: { worker: "dialogue", counts: "LLM fallback calls, per client address", periodSeconds: 60 },
} as const satisfies Record<string, { worker: "gateway" | "dialogue"; counts: string; periodSeconds: 10 | 60 }>;

export type RateLimiterName = keyof typeof RATE_LIMITERS;

/** The limiter as the `limiter` label of stratus_rate_limited_total names it: create, message, address_message, nlu, … */
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
