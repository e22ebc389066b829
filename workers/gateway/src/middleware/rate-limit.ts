import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { metricsFor } from "../../../../shared/metrics/isolate.ts";
import { limiterLabel, takeRateLimit, type RateLimiterName } from "../../../../shared/rate-limits.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";
import { clientKey } from "./client-address.ts";

/**
 * Rejects a request with 429 and `Retry-After` once its key has used up the limiter's budget
 * (Cloudflare's Rate Limiting binding: a fixed window per location, no storage of ours). Limits
 * and windows: wrangler.toml `[[ratelimits]]` and shared/rate-limits.ts.
 */
export function rateLimit(name: RateLimiterName & keyof GatewayEnv, keyOf: (c: Context<GatewayHonoEnv>) => string) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const budget = await takeRateLimit(c.env[name], name, keyOf(c));
    if (!budget.ok) {
      metricsFor(c.env).count("stratus_rate_limited_total", { channel: "http", limiter: limiterLabel(name) });
      throw ApiError.from(budget.error);
    }
    await next();
  });
}

/** Per-client limits count by address (see client-address.ts for how far CF-Connecting-IP is trusted). */
export const clientAddress = (c: Context<GatewayHonoEnv>): string => clientKey(c.req.header("CF-Connecting-IP"));
