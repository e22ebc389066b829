import { createRoute } from "@hono/zod-openapi";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import {
  ListUserConversationsQuerySchema,
  NoQuerySchema,
  RenewedTokenSchema,
  UserConversationListSchema,
  UserConversationParamsSchema,
  UserErasureSchema,
  UserExportSchema,
  UserParamsSchema,
} from "../../../../shared/schemas/index.ts";
import { signConversationToken } from "../auth/conversation-token.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { requireUserToken } from "../auth/require-user-token.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { listUserConversations } from "../users/user-conversation-list.ts";
import { eraseUser, exportUser } from "../users/user-data.ts";
import { errorResponses } from "./openapi-responses.ts";

// The signed-in user's own routes (`me`: the user token's `sub`) come before the operator's
// `{sub}` routes, which would otherwise take "me" as a user id.

const USER_TOKEN = "Authorized by the user's token (`Authorization: Bearer <userToken>`, a JWT the host site signed: docs/privacy.md).";

const listMyConversations = createRoute({
  method: "get",
  path: "/v1/users/me/conversations",
  operationId: "listMyConversations",
  summary: "The signed-in user's conversations, most recently active first, across devices",
  description: `${USER_TOKEN} Resume one on a new device with \`POST /v1/users/me/conversations/{id}/token\`. Rate-limited per client address (READ_LIMITER).`,
  security: [{ userToken: [] }],
  middleware: [requireUserToken, rateLimit("READ_LIMITER", clientAddress)] as const,
  request: { query: ListUserConversationsQuerySchema },
  responses: {
    200: { description: "A page of conversations", content: { "application/json": { schema: UserConversationListSchema } } },
    ...errorResponses.pick(401, 429),
  },
});

const resumeMyConversation = createRoute({
  method: "post",
  path: "/v1/users/me/conversations/{id}/token",
  operationId: "resumeMyConversation",
  summary: "A conversation token for one of the signed-in user's conversations (resume it on this device)",
  description: `${USER_TOKEN} A conversation that is not this user's answers 404, as one that does not exist.`,
  security: [{ userToken: [] }],
  middleware: [requireUserToken] as const,
  request: { params: UserConversationParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "A token for the conversation and its expiry", content: { "application/json": { schema: RenewedTokenSchema } } },
    ...errorResponses.pick(401, 404),
  },
});

const exportMe = createRoute({
  method: "get",
  path: "/v1/users/me/export",
  operationId: "exportMyData",
  summary: "Everything stored about the signed-in user, as one JSON document",
  description: `${USER_TOKEN} Profile facts with their source and purpose, consent and its history, every conversation with its transcript (personal values masked as stored), directory entries and analytics rows. Rate-limited per client address (READ_LIMITER).`,
  security: [{ userToken: [] }],
  middleware: [requireUserToken, rateLimit("READ_LIMITER", clientAddress)] as const,
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "The user's data", content: { "application/json": { schema: UserExportSchema } } },
    ...errorResponses.pick(401, 429),
  },
});

const eraseMe = createRoute({
  method: "delete",
  path: "/v1/users/me",
  operationId: "eraseMyData",
  summary: "Erases everything stored about the signed-in user",
  description: `${USER_TOKEN} Conversations (they answer 404 afterwards), their inbox entries, analytics rows, the profile. Repeating it erases nothing more and answers zeros.`,
  security: [{ userToken: [] }],
  middleware: [requireUserToken] as const,
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "What was erased", content: { "application/json": { schema: UserErasureSchema } } },
    ...errorResponses.pick(401),
  },
});

const listUserConversationsRoute = createRoute({
  method: "get",
  path: "/v1/users/{sub}/conversations",
  operationId: "listUserConversations",
  summary: "Operator: a signed-in user's conversations, most recently active first",
  description: "The user's id (their host's `sub`) percent-encoded in the path; the inbox shows them beside the open conversation.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: UserParamsSchema, query: ListUserConversationsQuerySchema },
  responses: {
    200: { description: "A page of conversations", content: { "application/json": { schema: UserConversationListSchema } } },
    ...errorResponses.pick(401, 404),
  },
});

const exportUserRoute = createRoute({
  method: "get",
  path: "/v1/users/{sub}/export",
  operationId: "exportUserData",
  summary: "Operator: everything stored about a user, as one JSON document (GDPR Article 15)",
  description: "Empty lists for a user the deployment does not know.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: UserParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The user's data", content: { "application/json": { schema: UserExportSchema } } },
    ...errorResponses.pick(401, 404),
  },
});

const eraseUserRoute = createRoute({
  method: "delete",
  path: "/v1/users/{sub}",
  operationId: "eraseUserData",
  summary: "Operator: erases everything stored about a user (GDPR Article 17)",
  description: "Conversations (404 afterwards), their inbox entries, analytics rows, the profile. Idempotent: a repeat answers zeros.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: UserParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "What was erased", content: { "application/json": { schema: UserErasureSchema } } },
    ...errorResponses.pick(401, 404),
  },
});

export const userRoutes = newRouter()
  .openapi(listMyConversations, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await listUserConversations(c.env, c.var.user.sub, c.req.valid("query")), 200);
  })
  .openapi(resumeMyConversation, async (c) => {
    const sub = c.var.user.sub;
    const { id } = c.req.valid("param");
    // The conversation says whose it is; the operator's credential reads that and nothing is changed.
    const summary = await conversationStub(c.env, id).summary({ kind: "operator" });
    if (!summary.ok || summary.conversation.user !== sub) throw new ApiError("conversation_not_found");
    const config = gatewayConfig(c.env);
    return c.json(await signConversationToken(config.TOKEN_SECRET, id, config.STRATUS_TOKEN_TTL_SECONDS), 200);
  })
  .openapi(exportMe, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await exportUser(c.env, c.var.user.sub), 200);
  })
  .openapi(eraseMe, async (c) => c.json(await eraseUser(c.env, c.var.user.sub), 200))
  .openapi(listUserConversationsRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await listUserConversations(c.env, c.req.valid("param").sub, c.req.valid("query")), 200);
  })
  .openapi(exportUserRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await exportUser(c.env, c.req.valid("param").sub), 200);
  })
  .openapi(eraseUserRoute, async (c) => c.json(await eraseUser(c.env, c.req.valid("param").sub), 200));
