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
