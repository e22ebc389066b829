import { createRoute, z } from "@hono/zod-openapi";
import {
  AgentMessageBodySchema,
  ConversationParamsSchema,
  MessageSchema,
  MigrateConversationBodySchema,
  MigratedConversationSchema,
  NoQuerySchema,
  RevokedTokensSchema,
} from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { resolveVersion } from "../bot-versions.ts";
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

const migrateConversation = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/migrate",
  operationId: "migrateConversation",
  summary: "Operator: move a running conversation to another version of its bot",
  description:
    "`{ version }` (a number, or a content hash) of the conversation's own bot: its turns from now on run on that version (a turn already on its way " +
    "finishes on the one it was sent with). Slots and history stay; a form the new version does not have is cancelled (docs/bot-versions.md).",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: {
    params: ConversationParamsSchema,
    query: NoQuerySchema,
    body: { content: { "application/json": { schema: MigrateConversationBodySchema } }, required: true },
  },
  responses: {
    200: { description: "The version it runs on now, and the one before", content: { "application/json": { schema: MigratedConversationSchema } } },
    ...errorResponses.pick(400, 401, 404),
  },
});

export const operatorRoutes = newRouter()
  .openapi(migrateConversation, async (c) => {
    const { id } = c.req.valid("param");
    const { version } = c.req.valid("json");
    const conversation = conversationStub(c.env, id);
    const summary = await conversation.summary({ kind: "operator" });
    if (!summary.ok) throw ApiError.from(summary.error);
    const resolved = await resolveVersion(c.env, summary.conversation.bot, version);
    const migrated = await conversation.migrateVersion(resolved);
    if (!migrated.ok) throw ApiError.from(migrated.error);
    return c.json({ id, bot: migrated.bot, botVersion: migrated.botVersion, previousVersion: migrated.previousVersion }, 200);
  })
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
