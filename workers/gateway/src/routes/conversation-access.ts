import { createRoute } from "@hono/zod-openapi";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ConversationParamsSchema, NoQuerySchema, RenewedTokenSchema, SocketTicketSchema } from "../../../../shared/schemas/index.ts";
import { signConversationToken } from "../auth/conversation-token.ts";
import { conversationCredential, requireConversationToken } from "../auth/require-conversation-token.ts";
import { mintSocketTicket, SOCKET_PROTOCOL, TICKET_PROTOCOL_PREFIX } from "../auth/socket-ticket.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const socketTicket = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/socket-tickets",
  operationId: "createSocketTicket",
  summary: "A single-use ticket to open this conversation's WebSocket within seconds",
  description:
    `Offer it as \`Sec-WebSocket-Protocol: ${SOCKET_PROTOCOL}, ${TICKET_PROTOCOL_PREFIX}<ticket>\` when opening \`GET …/ws\`: ` +
    "the credential stays in a header, never in a URL. Minted with the conversation token (a user socket) or the " +
    "operator key (a read-only socket). Rate-limited per conversation (SOCKET_TICKET_LIMITER).",
  security: [{ conversationToken: [] }, { operatorKey: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true }), rateLimit("SOCKET_TICKET_LIMITER", (c) => c.req.param("id") ?? "")] as const,
  request: { params: ConversationParamsSchema, query: NoQuerySchema },
  responses: {
    201: { description: "The ticket and when it expires", content: { "application/json": { schema: SocketTicketSchema } } },
    ...errorResponses.pick(401, 404, 429),
  },
});

const renewToken = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/token",
  operationId: "renewConversationToken",
  summary: "A fresh token for the conversation, with a new expiry",
  description: "Clients renew their token while the conversation is in use; a revoked or expired token cannot be renewed (401).",
  security: [{ conversationToken: [] }],
  middleware: [requireConversationToken()] as const,
  request: { params: ConversationParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The new token and its expiry", content: { "application/json": { schema: RenewedTokenSchema } } },
    ...errorResponses.pick(401, 403, 404),
  },
});

export const conversationAccessRoutes = newRouter()
  .openapi(socketTicket, async (c) => {
    const { id } = c.req.valid("param");
    const credential = conversationCredential(c);
    // No object call: the object checks the ticket's token against revocations when the socket opens.
    const minted = await mintSocketTicket(gatewayConfig(c.env).TOKEN_SECRET, id, {
      role: credential.kind === "operator" ? "operator" : "user",
      tokenIssuedAt: credential.kind === "operator" ? 0 : credential.issuedAt,
    });
    return c.json(minted, 201);
  })
  .openapi(renewToken, async (c) => {
    const { id } = c.req.valid("param");
    const checked = await conversationStub(c.env, id).checkAccess(conversationCredential(c));
    if (!checked.ok) throw ApiError.from(checked.error);
    const config = gatewayConfig(c.env);
    return c.json(await signConversationToken(config.TOKEN_SECRET, id, config.STRATUS_TOKEN_TTL_SECONDS), 200);
  });
