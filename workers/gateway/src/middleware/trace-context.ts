import { createMiddleware } from "hono/factory";
import { continueTrace } from "../../../../shared/trace-context.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

/**
 * Reads the W3C `traceparent` header (shared/trace-context.ts). A valid one is continued — the
 * turn keeps its trace id through every stage and into the bot's backend calls; a missing or
 * malformed one starts a new trace, never an error.
 */
export const traceContext = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  c.set("trace", continueTrace(c.req.header("traceparent")));
  await next();
});
