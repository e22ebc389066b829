import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  ConversationParamsSchema,
  ListMessagesQuerySchema,
  MessageRepliesParamsSchema,
  MessageRepliesQuerySchema,
  MessageSchema,
  PostMessageBodySchema,
  PostMessageQuerySchema,
  type Message,
} from "../../../../shared/schemas/index.ts";
import { metricsFor } from "../../../../shared/metrics/isolate.ts";
import { formatTraceparent } from "../../../../shared/trace-context.ts";
import { admitUserMessage } from "../../../../shared/user-message-admission.ts";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { conversationCredential, requireConversationToken } from "../auth/require-conversation-token.ts";
import { hashedClientKey } from "../middleware/client-address.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";
import { eventStreamResponse, wantsEventStream } from "./reply-events.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const postMessage = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/messages",
  operationId: "sendMessage",
  summary: "Send a user message; with ?wait=<seconds> also wait for the bot's replies",
  description:
    "With `wait` and `Accept: text/event-stream` the 200 answer is a stream of server-sent events instead of JSON: `message` (the stored user message), " +
    "`stream_start`, `stream_delta`, `stream_end` while the LLM fallback writes a reply, then `replies` (the bot's stored replies) or `timeout` (the wait ran out). " +
    "Each event's data is one JSON object whose `type` is the event's name (docs/streaming.md).",
  security: [{ conversationToken: [] }],
  middleware: [requireConversationToken()] as const,
  request: {
    params: ConversationParamsSchema,
    query: PostMessageQuerySchema,
    body: { content: { "application/json": { schema: PostMessageBodySchema } }, required: true },
  },
  responses: {
    200: {
      description: "The message and the bot's replies (JSON), or with `Accept: text/event-stream` their events as they happen",
      content: {
        "application/json": { schema: z.object({ message: MessageSchema, replies: z.array(MessageSchema) }) },
        "text/event-stream": {
          schema: z.string().openapi({
            description: "Server-sent events; each `data` is a JSON object of shared/schemas/reply-stream.ts ReplyEventSchema",
            example: 'event: message\ndata: {"type":"message","message":{…}}\n\nevent: stream_delta\ndata: {"type":"stream_delta","id":"…","index":0,"text":"Our "}\n\n',
          }),
        },
      },
    },
    202: json(z.object({ message: MessageSchema }), "Accepted; replies arrive over the WebSocket or by polling"),
    ...errorResponses.pick(401, 403, 404, 409, 429),
  },
});


const listMessages = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/messages",
  operationId: "listMessages",
  summary: "Page through the transcript, oldest first",
  description: "Authorized by the conversation token or the operator API key. Rate-limited per client address (READ_LIMITER).",
  security: [{ conversationToken: [] }, { operatorKey: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true }), rateLimit("READ_LIMITER", clientAddress)] as const,
  request: { params: ConversationParamsSchema, query: ListMessagesQuerySchema },
  responses: {
    200: json(z.object({ messages: z.array(MessageSchema) }), "Messages with seq > after"),
    ...errorResponses.pick(401, 404, 429),
  },
});

const messageReplies = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/messages/{seq}/replies",
  operationId: "waitForReplies",
  summary: "The bot's replies to a user message already sent; with ?wait=<seconds>, waiting for them",
  description:
    "Picks up a `?wait` that broke off: 200 with the message and its replies once the bot has answered, 202 with the message alone when the wait ran out. " +
    "With `Accept: text/event-stream` the answer is the same server-sent events as the send's (docs/streaming.md); a reply the LLM is still writing " +
    "comes first as its text so far (`stream_start` with `next`), so a client adds only what it lacks. " +
    "Authorized by the conversation token or the operator API key. Rate-limited per client address (READ_LIMITER).",
  security: [{ conversationToken: [] }, { operatorKey: [] }],
  middleware: [requireConversationToken({ operatorMayRead: true }), rateLimit("READ_LIMITER", clientAddress)] as const,
  request: { params: MessageRepliesParamsSchema, query: MessageRepliesQuerySchema },
  responses: {
    200: {
      description: "The message and the bot's replies (JSON), or with `Accept: text/event-stream` their events as they happen",
      content: {
        "application/json": { schema: z.object({ message: MessageSchema, replies: z.array(MessageSchema) }) },
        "text/event-stream": { schema: z.string().openapi({ description: "Server-sent events, as `POST …/messages?wait` sends them" }) },
      },
    },
    202: json(z.object({ message: MessageSchema }), "No replies yet: the wait ran out"),
    ...errorResponses.pick(400, 401, 404, 429),
  },
});

export const messageRoutes = newRouter()
  .openapi(postMessage, async (c) => {
    const { id } = c.req.valid("param");
    const { wait } = c.req.valid("query");
    // The route's validator has read the body (content type, JSON, the schema the OpenAPI document
    // shows); the admission is the gate WebSocket messages pass too: the same schema, the same budget.
    const client = await hashedClientKey(gatewayConfig(c.env).TOKEN_SECRET, c.req.header("CF-Connecting-IP"));
    const admitted = await admitUserMessage(c.req.valid("json"), {
      channel: "http",
      conversationId: id,
      limiter: c.env.MESSAGE_LIMITER,
      addressLimiter: c.env.ADDRESS_MESSAGE_LIMITER,
      client,
      metrics: metricsFor(c.env),
    });
    if (!admitted.ok) throw ApiError.from(admitted.error);
    const conversation = conversationStub(c.env, id);
    const trace = c.get("trace");
    const turn = {
      ...admitted.message,
      traceId: trace.traceId,
      traceparent: formatTraceparent(trace),
      credential: conversationCredential(c),
      client,
    };
    if (!wait) {
      const appended = await conversation.appendUserTurn(turn);
      if (!appended.ok) throw ApiError.from(appended.error);
      return c.json({ message: appended.message }, 202);
    }
    // One request to the object either way: the message is stored and the wait's answer comes back
    // as a stream — the replies' JSON, or (for a client that asks for them) server-sent events.
    const format = wantsEventStream(c.req.header("Accept")) ? "events" : "json";
    const appended = await conversation.appendUserTurnAndWait(turn, wait * 1000, format);
    if (!appended.ok) throw ApiError.from(appended.error);
    return waitAnswer(c, appended.message, appended.replies, format);
  })
  .openapi(messageReplies, async (c) => {
    const { id, seq } = c.req.valid("param");
    const { wait } = c.req.valid("query");
    const format = wantsEventStream(c.req.header("Accept")) ? "events" : "json";
    const resumed = await conversationStub(c.env, id).resumeReplies(seq, (wait ?? 0) * 1000, format, conversationCredential(c));
    if (!resumed.ok) throw ApiError.from(resumed.error);
    return waitAnswer(c, resumed.message, resumed.replies, format);
  })
  .openapi(listMessages, async (c) => {
    const { id } = c.req.valid("param");
    const { after, limit } = c.req.valid("query");
    const listed = await conversationStub(c.env, id).listMessages(after, limit, conversationCredential(c));
    if (!listed.ok) throw ApiError.from(listed.error);
    return c.json({ messages: listed.messages }, 200);
  });

/**
 * The answer to a wait for a stored message's replies: the object's event stream as it comes (it
 * starts with the stored message, so a client whose stream breaks off knows it was stored), or JSON:
 * 200 with the replies, 202 when the wait ran out or broke off (the object restarted) — the message is
 * stored either way, and the replies arrive over the WebSocket or by polling.
 */
async function waitAnswer(c: Context, message: Message, replies: ReadableStream<Uint8Array>, format: "events" | "json") {
  if (format === "events") return eventStreamResponse(replies);
  const answered = await readReplies(replies).catch((error: unknown) => {
    console.warn(JSON.stringify({ event: "wait_failed", seq: message.seq, error: String(error) }));
    return null;
  });
  if (answered === null) return c.json({ message }, 202);
  return c.json({ message, replies: answered }, 200);
}

/** The replies an object's wait sends back (the JSON of `Message[] | null`), validated like any boundary. */
async function readReplies(stream: ReadableStream<Uint8Array>): Promise<Message[] | null> {
  return z.array(MessageSchema).nullable().parse(await new Response(stream).json());
}
