import { createRoute, z } from "@hono/zod-openapi";
import { AgentMessageBodySchema, ConversationParamsSchema, MessageSchema, NoQuerySchema, RevokedTokensSchema } from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const HandoffStateSchema = z.object({ id: z.string(), handedOff: z.boolean() });

const handoffRoute = (action: "handoff" | "release", summary: string) =>
  createRoute({
    method: "post",
    path: `/v1/conversations/{id}/${action}`,
    operationId: action === "handoff" ? "handOffConversation" : "releaseConversation",
    summary,
    security: [{ operatorKey: [] }],
    middleware: [requireOperatorKey] as const,
    request: { params: ConversationParamsSchema, query: NoQuerySchema },
    responses: {
      200: { description: "The conversation's handoff state", content: { "application/json": { schema: HandoffStateSchema } } },
      ...errorResponses.pick(401, 404),
    },
  });

const agentMessage = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/agent-messages",
  operationId: "sendAgentMessage",
  summary: "Operator: a human agent writes to the user (role `agent`)",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: {
    params: ConversationParamsSchema,
    query: NoQuerySchema,
    body: { content: { "application/json": { schema: AgentMessageBodySchema } }, required: true },
  },
  responses: {
    201: { description: "Stored and pushed to connected clients", content: { "application/json": { schema: z.object({ message: MessageSchema }) } } },
    ...errorResponses.pick(401, 404),
  },
});

const revokeTokens = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/revoke-tokens",
  operationId: "revokeConversationTokens",
  summary: "Operator: revoke every token of the conversation issued until now",
  description: "The user's requests with an older token get 401 and their sockets are closed (1008). The operator key is not affected.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: ConversationParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "From when tokens are accepted again (none issued before)", content: { "application/json": { schema: RevokedTokensSchema } } },
    ...errorResponses.pick(401, 404),
  },
});

export const operatorRoutes = newRouter()
  .openapi(revokeTokens, async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).revokeTokens();
    if (!result.ok) throw ApiError.from(result.error);
    return c.json({ revokedAt: result.revokedAt }, 200);
  })
  .openapi(handoffRoute("handoff", "Operator: a human takes over; the bot stays silent"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).setHandoff(true);
    if (!result.ok) throw ApiError.from(result.error);
    return c.json({ id, handedOff: result.handedOff }, 200);
  })
  .openapi(handoffRoute("release", "Operator: give the conversation back to the bot"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).setHandoff(false);
    if (!result.ok) throw ApiError.from(result.error);
    return c.json({ id, handedOff: result.handedOff }, 200);
  })
  .openapi(agentMessage, async (c) => {
    const { id } = c.req.valid("param");
    const { text } = c.req.valid("json");
    const result = await conversationStub(c.env, id).appendAgentMessage(text);
    if (!result.ok) throw ApiError.from(result.error);
    return c.json({ message: result.message }, 201);
  });
