import { createRoute, z } from "@hono/zod-openapi";
import {
  ConversationIdSchema,
  ListMessagesQuerySchema,
  MessageSchema,
  PostMessageBodySchema,
  PostMessageQuerySchema,
} from "../../../../shared/schemas/index.ts";
import { requireConversationToken } from "../auth/require-conversation-token.ts";
import { conversationError } from "../conversation-errors.ts";
import { conversationStub } from "../conversation-stub.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const params = z.object({ id: ConversationIdSchema });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const postMessage = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/messages",
  summary: "Send a user message; with ?wait=<seconds> also wait for the bot's replies",
  security: [{ conversationToken: [] }],
  middleware: [
    requireConversationToken(),
    rateLimit((env) => env.MESSAGE_LIMITER, (c) => c.req.param("id") ?? ""),
  ] as const,
  request: {
    params,
    query: PostMessageQuerySchema,
    body: { content: { "application/json": { schema: PostMessageBodySchema } }, required: true },
  },
  responses: {
    200: json(z.object({ message: MessageSchema, replies: z.array(MessageSchema) }), "The message and the bot's replies"),
    202: json(z.object({ message: MessageSchema }), "Accepted; replies arrive over the WebSocket or by polling"),
    ...errorResponses,
  },
});

const listMessages = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/messages",
  summary: "Page through the transcript, oldest first",
  security: [{ conversationToken: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true })] as const,
  request: { params, query: ListMessagesQuerySchema },
  responses: {
    200: json(z.object({ messages: z.array(MessageSchema) }), "Messages with seq > after"),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export const messageRoutes = newRouter()
  .openapi(postMessage, async (c) => {
    const { id } = c.req.valid("param");
    const { wait } = c.req.valid("query");
    const { text, clientMessageId } = c.req.valid("json");
    const conversation = conversationStub(c.env, id);
    const appended = await conversation.appendUserTurn({ text, clientMessageId, traceId: c.get("requestId") });
    if (!appended.ok) throw conversationError(appended.error);
    const { message } = appended;
    if (!wait) return c.json({ message }, 202);
    // The message is stored: if the wait itself fails (the object restarted), the client still
    // gets its 202 and the replies arrive over the WebSocket or by polling.
    const replies = await conversation.waitForReplies(message.seq, wait * 1000).catch((error: unknown) => {
      console.warn(JSON.stringify({ event: "wait_failed", seq: message.seq, error: String(error) }));
      return null;
    });
    if (replies === null) return c.json({ message }, 202);
    return c.json({ message, replies }, 200);
  })
  .openapi(listMessages, async (c) => {
    const { id } = c.req.valid("param");
    const { after, limit } = c.req.valid("query");
    const listed = await conversationStub(c.env, id).listMessages(after, limit);
    if (!listed.ok) throw conversationError(listed.error);
    return c.json({ messages: listed.messages }, 200);
  });
