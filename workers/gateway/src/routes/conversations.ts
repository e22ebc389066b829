import { createRoute } from "@hono/zod-openapi";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import {
  ConversationParamsSchema,
  ConversationSchema,
  ConversationSummarySchema,
  CreateConversationBodySchema,
  NoQuerySchema,
} from "../../../../shared/schemas/index.ts";
import { conversationCredential, requireConversationToken } from "../auth/require-conversation-token.ts";
import { newConversationId } from "../../../../shared/conversation-object.ts";
import { signConversationToken } from "../auth/conversation-token.ts";
import { resolveBot } from "../bot-catalog.ts";
import { authenticateUser } from "../auth/require-user-token.ts";
import { openSignedInConversation } from "../users/signed-in-conversation.ts";
import { versionForNewConversation } from "../bot-versions.ts";
import { conversationStub } from "../conversation-stub.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const createConversation = createRoute({
  method: "post",
  path: "/v1/conversations",
  operationId: "createConversation",
  summary: "Start a conversation with a bot",
  middleware: [rateLimit("CREATE_LIMITER", clientAddress)] as const,
  description:
    "Rate-limited per client address (CREATE_LIMITER). With `userToken` (a JWT the host site signed for its signed-in user, docs/privacy.md) " +
    "the conversation is that user's: `user` says whose, it is listed in `GET /v1/users/me/conversations` and its bot may remember what the " +
    "user consents to; a token that is not valid is a 401 and nothing is created.",
  security: [],
  request: {
    query: NoQuerySchema,
    body: { content: { "application/json": { schema: CreateConversationBodySchema } }, required: false },
  },
  responses: {
    201: { description: "Created; `token` authorizes this conversation's endpoints until `tokenExpiresAt` (renew it with POST …/token)", content: { "application/json": { schema: ConversationSchema } } },
    ...errorResponses.pick(401, 429),
  },
});

const getConversation = createRoute({
  method: "get",
  path: "/v1/conversations/{id}",
  operationId: "getConversation",
  summary: "The conversation's bot, locale and handoff state",
  description: "Authorized by the conversation token or the operator API key. Rate-limited per client address (READ_LIMITER).",
  security: [{ conversationToken: [] }, { operatorKey: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true }), rateLimit("READ_LIMITER", clientAddress)] as const,
  request: { params: ConversationParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The conversation", content: { "application/json": { schema: ConversationSummarySchema } } },
    ...errorResponses.pick(401, 404, 429),
  },
});

export const conversationRoutes = newRouter()
  .openapi(getConversation, async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).summary(conversationCredential(c));
    if (!result.ok) throw ApiError.from(result.error);
    return c.json(result.conversation, 200);
  })
  .openapi(createConversation, async (c) => {
    const body = c.req.valid("json");
    const bot = resolveBot(body.bot, body.locale);
    // A user token is checked before anything is created: a bad one is a 401 and leaves nothing behind.
    const user = body.userToken === undefined ? undefined : await authenticateUser(c.env, body.userToken);
    const id = newConversationId(bot.jurisdiction);
    const createdAt = new Date().toISOString();
    // The version it runs on, every turn, for good: the bot's current one, or its canary for this id's share (docs/bot-versions.md).
    const { version: botVersion, profile } = await versionForNewConversation(c.env, bot.id, id);
    const signedIn = user === undefined ? undefined : await openSignedInConversation(c.env, user, { id, bot: bot.id, createdAt }, profile);
    const info = await conversationStub(c.env, id).create(
      { id, bot: bot.id, botVersion, locale: body.locale ?? null, timezone: body.timezone ?? "UTC", createdAt, ...signedIn?.info },
      signedIn?.initialState,
    );
    const config = gatewayConfig(c.env);
    const issued = await signConversationToken(config.TOKEN_SECRET, id, config.STRATUS_TOKEN_TTL_SECONDS);
    const { userKey: _userKey, ...shown } = info;
    return c.json({ ...shown, ...issued }, 201);
  });
