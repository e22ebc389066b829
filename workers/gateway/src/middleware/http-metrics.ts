import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { flushMetricsLater, metricsFor } from "../../../../shared/metrics/isolate.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

/**
 * Counts and times every request by route template (`/v1/conversations/:id/messages`, never the
 * raw path), method and status; the response has been made (errors included) when it records.
 * A path no route matches has only middleware routes (method ALL) and is labelled `other`.
 */
export const httpMetrics = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  const route = matchedRoutes(c).findLast((matched) => matched.method !== "ALL")?.path ?? "";
  const method = c.req.method;
  const metrics = metricsFor(c.env);
  metrics.count("stratus_http_requests_total", { route, method, status: String(c.res.status) });
  metrics.observe("stratus_http_request_duration_seconds", { route, method }, (Date.now() - started) / 1000);
  flushMetricsLater(c.env, c.executionCtx);
});
