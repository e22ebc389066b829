import { createMiddleware } from "hono/factory";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";
import { bearerToken, matchesSecret } from "./require-operator-key.ts";

/**
 * GET /metrics takes `Authorization: Bearer <METRICS_TOKEN>`: its own secret, so the scraper can
 * read metrics and nothing else (not the operator key, no conversation).
 */
export const requireMetricsToken = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const presented = bearerToken(c.req.header("Authorization"));
  if (!presented) throw new ApiError("unauthorized", "missing metrics token (Authorization: Bearer <METRICS_TOKEN>)");
  if (!matchesSecret(gatewayConfig(c.env).METRICS_TOKEN, presented)) throw new ApiError("unauthorized", "invalid metrics token");
  await next();
});
