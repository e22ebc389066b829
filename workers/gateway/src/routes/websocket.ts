import { createRoute } from "@hono/zod-openapi";
import { ConversationParamsSchema, WebSocketQuerySchema, type SocketRole } from "../../../../shared/schemas/index.ts";
import { requireConversationToken } from "../auth/require-conversation-token.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const openSocket = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/ws",
  summary: "WebSocket: replays messages after `after`, then pushes every new message",
  description:
    'Server frames: `{"type":"message","message":{…}}`, `{"type":"handoff","handedOff":true|false}` (a person took ' +
    'the conversation over or gave it back) and `{"type":"error","error":{code,message,retryAfter?}}`. ' +
    'Client frames (text, JSON, at most 64 KiB): `{"type":"message","text":"…","clientMessageId":"…"}`, under the same rules ' +
    "and the same per-conversation budget as `POST …/messages`; a refused frame gets an error frame (`invalid_frame`, " +
    "`payload_too_large`, `client_message_id_conflict`, `rate_limited` with `retryAfter`) and the socket stays open. " +
    "A socket opened with the operator key is read-only: each frame it sends gets `forbidden`. " +
    "The text frame `ping` is answered `pong` without waking the conversation (a client's liveness check).",
  security: [{ conversationToken: [] }, { operatorKey: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true, tokenInQuery: true })] as const,
  request: { params: ConversationParamsSchema, query: WebSocketQuerySchema },
  responses: {
    101: { description: "Switching protocols" },
    ...errorResponses.pick(400, 401, 404, 413, 415, 426),
  },
});

export const websocketRoutes = newRouter().openapi(openSocket, (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("upgrade_required");
  }
  const { id } = c.req.valid("param");
  const { after } = c.req.valid("query");
  const role: SocketRole = c.get("credential") === "operator" ? "operator" : "user";
  // The object serves the socket itself (so that it can hibernate between messages) and answers
  // 404 itself for a conversation that does not exist. Its URL is built here from checked values
  // only, so the role it reads can only be the one the credential earned.
  const url = new URL("https://conversation/ws");
  url.searchParams.set("role", role);
  if (after !== undefined) url.searchParams.set("after", String(after));
  return conversationStub(c.env, id).fetch(new Request(url, c.req.raw));
});
