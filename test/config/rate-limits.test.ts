// The rate limiters the gateway uses and the windows it tells refused clients about
// (shared/rate-limits.ts) are the ones wrangler.toml declares, in every environment.
import { describe, expect, it } from "vitest";
import { declaredRateLimits } from "../../devkit/rate-limit-config.ts";
import { RATE_LIMITERS, retryAfterSeconds } from "../../shared/rate-limits.ts";

describe("rate limiters", () => {
  it.each(["gateway", "dialogue"] as const)("are declared in the %s's wrangler.toml with the window shared/rate-limits.ts assumes, in every environment", (worker) => {
    const expected = Object.entries(RATE_LIMITERS).flatMap(([name, limiter]) => (limiter.worker === worker ? [name] : []));
    for (const [environment, declared] of declaredRateLimits(worker)) {
      const where = environment === "" ? `${worker} wrangler.toml` : `${worker} wrangler.toml [env.${environment}]`;
      expect(declared.map((entry) => entry.name).toSorted(), where).toEqual(expected.toSorted());
      for (const entry of declared) {
        expect(entry.simple.period, `${where} ${entry.name}`).toBe(RATE_LIMITERS[entry.name as keyof typeof RATE_LIMITERS].periodSeconds);
      }
      expect(new Set(declared.map((entry) => entry.namespace_id)).size, `${where}: one namespace per limiter`).toBe(declared.length);
    }
  });

  it("tell a client to retry when the window ends, and never in 0 seconds", () => {
    expect(retryAfterSeconds("MESSAGE_LIMITER", 1_700_000_000_000)).toBe(10);
    expect(retryAfterSeconds("MESSAGE_LIMITER", 1_700_000_003_200)).toBe(7);
    expect(retryAfterSeconds("MESSAGE_LIMITER", 1_700_000_009_999)).toBe(1);
    expect(retryAfterSeconds("CREATE_LIMITER", 1_700_000_015_000)).toBe(25);
  });
});
