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
}

/**
 * Lets a request through only with the token of the conversation in the path (or, with
 * `operatorMayRead`, the operator key) in the Authorization header, and records which one it was
 * (`credential`; the conversation object checks a token's issue time against revocations). A
 * credential is never read from the URL: URLs end up in logs, proxies and browser histories
 * (WebSockets open with a socket ticket instead: socket-ticket.ts). The operator key where it may
 * not be used is a 403: it is a valid credential, just not for this. A malformed id is a 404 before
 * any token check: such a conversation cannot exist.
 */
export function requireConversationToken(options: ConversationAuthOptions = {}) {
  return createMiddleware<GatewayHonoEnv>(async (c, next) => {
    const id = c.req.param("id");
    if (id === undefined || !ConversationIdSchema.safeParse(id).success) {
      throw new ApiError("conversation_not_found");
    }
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw new ApiError("unauthorized", "missing conversation token (Authorization: Bearer <token>)");
    const claims = await verifyConversationToken(gatewayConfig(c.env).TOKEN_SECRET, id, token);
    if (claims) c.set("credential", { kind: "conversation", issuedAt: claims.issuedAt });
    else if (!isOperatorKey(c.env, token)) throw new ApiError("unauthorized", "invalid or expired token for this conversation");
    else if (options.operatorMayRead === true) c.set("credential", { kind: "operator" });
    else throw new ApiError("forbidden", "the operator key may read a conversation but not write as its user; an agent writes with POST …/agent-messages");
    await next();
  });
}

/** The credential requireConversationToken recorded (it runs first on every conversation route). */
export function conversationCredential(c: { get(key: "credential"): GatewayHonoEnv["Variables"]["credential"] }) {
  const credential = c.get("credential");
  if (!credential) throw new Error("requireConversationToken did not run on this route");
  return credential;
}
