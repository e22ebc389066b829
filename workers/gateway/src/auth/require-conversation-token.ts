import { createMiddleware } from "hono/factory";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ConversationIdSchema } from "../../../../shared/schemas/index.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";
import { verifyConversationToken } from "./conversation-token.ts";
import { bearerToken, isOperatorKey } from "./require-operator-key.ts";

export interface ConversationAuthOptions {
  /** The operator API key is accepted too, to read (a human watching a handoff). */
  operatorMayRead?: boolean;
  /**
   * The token may come as `?token=` instead of the Authorization header: the WebSocket only, since
   * browsers cannot set its headers. Everywhere else a token in the URL is not read, so it does not
   * end up in proxies' and browsers' URL logs for requests that do not need it there.
   */
  tokenInQuery?: boolean;
}

/**
 * Lets a request through only with the token of the conversation in the path (or, with
 * `operatorMayRead`, the operator key) and records which one it was (`credential`). The operator
 * key where it may not be used is a 403: it is a valid credential, just not for this.
 * A malformed id is a 404 before any token check: such a conversation cannot exist.
 */
export function requireConversationToken(options: ConversationAuthOptions = {}) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const id = c.req.param("id");
    if (id === undefined || !ConversationIdSchema.safeParse(id).success) {
      throw new ApiError("conversation_not_found");
    }
    const token = bearerToken(c.req.header("Authorization")) ?? (options.tokenInQuery === true ? c.req.query("token") : undefined);
    if (!token) {
      const where = options.tokenInQuery === true ? "?token=<token> or Authorization: Bearer <token>" : "Authorization: Bearer <token>";
      throw new ApiError("unauthorized", `missing conversation token (${where})`);
    }
    if (await verifyConversationToken(gatewayConfig(c.env).TOKEN_SECRET, id, token)) c.set("credential", "conversation");
    else if (!isOperatorKey(c.env, token)) throw new ApiError("unauthorized", "invalid token for this conversation");
    else if (options.operatorMayRead === true) c.set("credential", "operator");
    else throw new ApiError("forbidden", "the operator key may read a conversation but not write as its user; an agent writes with POST …/agent-messages");
    await next();
  });
}
