import { describe, expect, it } from "vitest";
import { backoffDelay, retryDelay } from "./backoff.ts";

describe("backoffDelay", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000 };

  it("doubles its ceiling per attempt up to the maximum", () => {
    const ceilings = [0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("spreads clients over the whole window (full jitter)", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(1000);
  });
});

describe("retryDelay", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000 };

  it("waits at least as long as the server's Retry-After, and backs off as usual without one", () => {
    expect(retryDelay({ retryAfterMs: 7000 }, 0, options, () => 1)).toBe(7000);
    expect(retryDelay({ retryAfterMs: 50 }, 3, options, () => 1)).toBe(800);
    expect(retryDelay({}, 2, options, () => 0.5)).toBe(200);
  });
});
