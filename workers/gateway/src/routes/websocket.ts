import { createRoute } from "@hono/zod-openapi";
import { ConversationParamsSchema, WebSocketQuerySchema } from "../../../../shared/schemas/index.ts";
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
    'Server frames: `{"type":"message","message":{…}}` and `{"type":"error","error":{code,message}}`. ' +
    'Client frames: `{"type":"message","text":"…","clientMessageId":"…"}`.',
  middleware: [requireConversationToken({ operatorMayRead: true })] as const,
  request: { params: ConversationParamsSchema, query: WebSocketQuerySchema },
  responses: {
    101: { description: "Switching protocols" },
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    426: { description: "Not a WebSocket upgrade request" },
  },
});

export const websocketRoutes = newRouter().openapi(openSocket, async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("upgrade_required");
  }
  const { id } = c.req.valid("param");
  // The object serves the socket itself (so that it can hibernate between messages) and answers
  // 404 itself for a conversation that does not exist.
  return conversationStub(c.env, id).fetch(c.req.raw);
});
