import { createRoute } from "@hono/zod-openapi";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ConversationParamsSchema, WebSocketQuerySchema } from "../../../../shared/schemas/index.ts";
import { offeredTicket, SOCKET_PROTOCOL, TICKET_PROTOCOL_PREFIX, verifySocketTicket } from "../auth/socket-ticket.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { hashedClientKey } from "../middleware/client-address.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const openSocket = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/ws",
  operationId: "openConversationSocket",
  summary: "WebSocket: replays up to a page of messages after `after`, then pushes every new message",
  description:
    `Open with a socket ticket (\`POST /v1/conversations/{id}/socket-tickets\`, single use, valid for seconds) offered as ` +
    `\`Sec-WebSocket-Protocol: ${SOCKET_PROTOCOL}, ${TICKET_PROTOCOL_PREFIX}<ticket>\`; the server answers \`${SOCKET_PROTOCOL}\`. ` +
    "No credential is read from the URL. " +
    'Server frames: up to 100 replayed `{"type":"message","message":{…}}`, then `{"type":"ready","lastSeq":n,"handedOff":bool}` ' +
    "(a client further behind reads the rest with GET …/messages), then every new message, " +
    '`{"type":"handoff","handedOff":true|false}` (a person took the conversation over or gave it back) and ' +
    '`{"type":"error","error":{code,message,retryAfter?}}`. ' +
    'Client frames (text, JSON, at most 64 KiB): `{"type":"message","text":"…","clientMessageId":"…"}`, under the same rules ' +
    "and the same budgets as `POST …/messages`; a refused frame gets an error frame (`invalid_frame`, " +
    "`payload_too_large`, `client_message_id_conflict`, `conversation_full`, `rate_limited` with `retryAfter`) and the socket stays open. " +
    "A socket opened with an operator's ticket is read-only: each frame it sends gets `forbidden`. " +
    "The text frame `ping` is answered `pong` without waking the conversation (a client's liveness check). " +
    "Opens are rate-limited per client address (SOCKET_LIMITER).",
  security: [{ socketTicket: [] }],
  middleware: [rateLimit("SOCKET_LIMITER", clientAddress)] as const,
  request: { params: ConversationParamsSchema, query: WebSocketQuerySchema },
  responses: {
    101: { description: "Switching protocols" },
    ...errorResponses.pick(400, 401, 404, 413, 415, 426, 429),
  },
});

export const websocketRoutes = newRouter().openapi(openSocket, async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("upgrade_required");
  }
  const { id } = c.req.valid("param");
  const { after } = c.req.valid("query");
  const ticket = offeredTicket(c.req.header("Sec-WebSocket-Protocol"));
  if (ticket === undefined) {
    throw new ApiError(
      "unauthorized",
      `missing socket ticket: offer Sec-WebSocket-Protocol "${SOCKET_PROTOCOL}, ${TICKET_PROTOCOL_PREFIX}<ticket>" (POST /v1/conversations/{id}/socket-tickets)`,
    );
  }
  const secret = gatewayConfig(c.env).TOKEN_SECRET;
  const claims = await verifySocketTicket(secret, id, ticket);
  if (!claims) throw new ApiError("unauthorized", "invalid or expired socket ticket for this conversation");
  // The object serves the socket itself (so that it can hibernate between messages), accepts the
  // ticket once, and answers 404 itself for a conversation that does not exist. Its URL is built here
  // from checked values only, so the role it reads can only be the one the ticket was minted for.
  const url = new URL("https://conversation/ws");
  url.searchParams.set("role", claims.role);
  url.searchParams.set("nonce", claims.nonce);
  url.searchParams.set("expiresAt", String(claims.expiresAt));
  url.searchParams.set("tokenIssuedAt", String(claims.tokenIssuedAt));
  url.searchParams.set("client", await hashedClientKey(secret, c.req.header("CF-Connecting-IP")));
  if (after !== undefined) url.searchParams.set("after", String(after));
  return conversationStub(c.env, id).fetch(new Request(url, c.req.raw));
});
