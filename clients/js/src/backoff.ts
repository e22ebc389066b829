/** How long to wait before reconnect attempt `attempt` (0-based). */
export interface BackoffOptions {
  /** The first delay's ceiling (ms). */
  initialDelayMs: number;
  /** No delay is longer than this (ms). */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 15_000 };

/**
 * Exponential backoff with full jitter: a uniformly random delay between 0 and
 * min(max, initial × 2^attempt). The randomness spreads the clients a server restart dropped, so
 * they do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(random() * ceiling);
}

/**
 * How long to wait before retrying a failed request: the backoff, but never less than the server
 * asked for (a 429's `Retry-After`), so a rate-limited client does not spend its next try too early.
 */
export function retryDelay(
  failure: { retryAfterMs?: number | undefined },
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  return Math.max(backoffDelay(attempt, options, random), failure.retryAfterMs ?? 0);
}
