import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import type { GatewayHonoEnv } from "../hono-env";

const encoder = new TextEncoder();

/** Operator endpoints (handoff, release) take `Authorization: Bearer <OPERATOR_API_KEY>`. */
export const requireOperatorKey = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const presented = c.req.header("Authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!presented) throw new ApiError(401, "unauthorized", "missing operator API key (Authorization: Bearer <key>)");
  const expected = encoder.encode(c.env.OPERATOR_API_KEY);
  const given = encoder.encode(presented);
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  if (given.byteLength !== expected.byteLength || !crypto.subtle.timingSafeEqual(given, expected)) {
    throw new ApiError(401, "unauthorized", "invalid operator API key");
  }
  await next();
});
