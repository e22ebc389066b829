import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { metricsFor } from "../../../../shared/metrics/isolate.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

/** The gateway's limiters: conversation creation and NLU parsing per client address (wrangler.toml). */
const LIMITERS = { create: (env: GatewayEnv) => env.CREATE_LIMITER } as const;

/**
 * Rejects a request with 429 once its key has used up the limiter's budget (Cloudflare's Rate
 * Limiting binding: a fixed window per location, no storage of ours). The per-conversation message
 * budget is the admission's (shared/user-message-admission.ts), for HTTP and WebSocket alike.
 */
export function rateLimit(limiter: keyof typeof LIMITERS, keyOf: (c: Context<GatewayHonoEnv>) => string) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const { success } = await LIMITERS[limiter](c.env).limit({ key: keyOf(c) });
    if (!success) {
      metricsFor(c.env).count("stratus_rate_limited_total", { channel: "http", limiter });
      throw new ApiError("rate_limited");
    }
    await next();
  });
}

export const clientAddress = (c: Context<GatewayHonoEnv>): string =>
  c.req.header("CF-Connecting-IP") ?? "local";
