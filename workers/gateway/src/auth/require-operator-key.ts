import { createMiddleware } from "hono/factory";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

const encoder = new TextEncoder();

export const bearerToken = (header: string | undefined): string | undefined => header?.match(/^Bearer\s+(\S+)$/i)?.[1];

/** Whether `presented` is the secret `expected`, compared in constant time. */
export function matchesSecret(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const want = encoder.encode(expected);
  const given = encoder.encode(presented);
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  return given.byteLength === want.byteLength && crypto.subtle.timingSafeEqual(given, want);
}

/** Whether `presented` is the operator API key. */
export const isOperatorKey = (env: GatewayEnv, presented: string | undefined): boolean =>
  matchesSecret(gatewayConfig(env).OPERATOR_API_KEY, presented);

/** Operator endpoints (handoff, release, agent messages, dead letters) take `Authorization: Bearer <OPERATOR_API_KEY>`. */
export const requireOperatorKey = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const presented = bearerToken(c.req.header("Authorization"));
  if (!presented) throw new ApiError("unauthorized", "missing operator API key (Authorization: Bearer <key>)");
  if (!isOperatorKey(c.env, presented)) throw new ApiError("unauthorized", "invalid operator API key");
  await next();
});
