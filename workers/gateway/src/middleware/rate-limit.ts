import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

/**
 * Rejects a request with 429 once its key has used up the limiter's budget (Cloudflare's Rate
 * Limiting binding: a fixed window per location, no storage of ours).
 */
export function rateLimit(
  pickLimiter: (env: GatewayEnv) => RateLimit,
  keyOf: (c: Context<GatewayHonoEnv>) => string,
) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const { success } = await pickLimiter(c.env).limit({ key: keyOf(c) });
    if (!success) throw new ApiError("rate_limited");
    await next();
  });
}

export const clientAddress = (c: Context<GatewayHonoEnv>): string =>
  c.req.header("CF-Connecting-IP") ?? "local";
