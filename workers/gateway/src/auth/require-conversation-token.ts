import { createMiddleware } from "hono/factory";
import { ConversationIdSchema } from "../../../../shared/schemas";
import { ApiError } from "../errors";
import type { GatewayHonoEnv } from "../hono-env";
import { verifyConversationToken } from "./conversation-token";

/**
 * Lets a request through only with the token of the conversation in the path, sent as
 * `Authorization: Bearer …` or, for WebSockets (browsers cannot set headers there), `?token=`.
 * A malformed id is a 404 before any token check: such a conversation cannot exist.
 */
export const requireConversationToken = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const id = c.req.param("id");
  if (!ConversationIdSchema.safeParse(id).success || id === undefined) {
    throw new ApiError(404, "conversation_not_found", "conversation not found");
  }
  const header = c.req.header("Authorization");
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.query("token");
  if (!token) throw new ApiError(401, "unauthorized", "missing conversation token (Authorization: Bearer <token>)");
  if (!(await verifyConversationToken(c.env.TOKEN_SECRET, id, token))) {
    throw new ApiError(401, "unauthorized", "invalid token for this conversation");
  }
  await next();
});
