import { createMiddleware } from "hono/factory";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ConversationIdSchema } from "../../../../shared/schemas/index.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";
import { verifyConversationToken } from "./conversation-token.ts";
import { bearerToken, isOperatorKey } from "./require-operator-key.ts";

/**
 * Lets a request through only with the token of the conversation in the path, sent as
 * `Authorization: Bearer …` or, for WebSockets (browsers cannot set headers there), `?token=`.
 * With `operatorMayRead`, the operator API key is accepted too (a human watching a handoff).
 * A malformed id is a 404 before any token check: such a conversation cannot exist.
 */
export function requireConversationToken(options: { operatorMayRead?: boolean } = {}) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const id = c.req.param("id");
    if (id === undefined || !ConversationIdSchema.safeParse(id).success) {
      throw new ApiError("conversation_not_found");
    }
    const token = bearerToken(c.req.header("Authorization")) ?? c.req.query("token");
    if (!token) throw new ApiError("unauthorized", "missing conversation token (Authorization: Bearer <token>)");
    const allowed =
      (await verifyConversationToken(gatewayConfig(c.env).TOKEN_SECRET, id, token)) ||
      (options.operatorMayRead === true && isOperatorKey(c.env, token));
    if (!allowed) throw new ApiError("unauthorized", "invalid token for this conversation");
    await next();
  });
}
