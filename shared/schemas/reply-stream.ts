/**
 * Streamed replies (docs/streaming.md) between the Workers: the dialogue Worker's batches of LLM
 * text for the conversation object (`streamReply`, RPC), the object's answer, and the events a
 * `POST …/messages?wait` request gets when it asks for `text/event-stream`.
 */
import { z } from "zod";
import { ConversationIdSchema, MessageSchema } from "./conversation.ts";
import { STREAM_DELTA_MAX_CHARS, StreamDeltaFrameSchema, StreamEndFrameSchema, StreamStartFrameSchema } from "./reply-stream-frames.ts";

export * from "./reply-stream-frames.ts";

/**
 * One batch of a reply the LLM is writing, from the dialogue Worker to the turn's conversation
 * object. `stream` is the writer's own random id: a second writer of the same turn (a duplicated
 * queue delivery, a retry) starts its own stream, which replaces the first. `part` counts the
 * writer's batches from 0; the object takes them in order only.
 */
export const ReplyStreamUpdateSchema = z.strictObject({
  v: z.literal(1),
  conversationId: ConversationIdSchema,
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
  stream: z.string().regex(/^[0-9a-f]{16}$/, "not a stream writer id"),
  part: z.number().int().nonnegative(),
  text: z.string().min(1).max(STREAM_DELTA_MAX_CHARS),
});
export type ReplyStreamUpdate = z.infer<typeof ReplyStreamUpdateSchema>;

/**
 * The object's answer to a batch. `accepted` false: the writer stops sending (the turn is no
 * longer in flight with this attempt, another writer replaced it, or the object lost the stream
 * in a restart); the whole reply still arrives through the turn's result. `listeners`: the
 * sockets and event-stream requests that see the stream now (the writer sends less often to none).
 */
export const ReplyStreamAckSchema = z.object({
  accepted: z.boolean(),
  listeners: z.number().int().nonnegative(),
});
export type ReplyStreamAck = z.infer<typeof ReplyStreamAckSchema>;

/**
 * The events of `POST …/messages?wait=<s>` with `Accept: text/event-stream`, in order: `message`
 * (the stored user message), the stream frames of a reply the LLM writes (if any), then `replies`
 * (the bot's stored replies, as the JSON answer has them) or `timeout` (the wait ran out; replies
 * arrive over the WebSocket or by polling). Each SSE event's name is its `type`; its data the JSON.
 */
export const ReplyEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), message: MessageSchema }),
  StreamStartFrameSchema,
  StreamDeltaFrameSchema,
  StreamEndFrameSchema,
  z.object({ type: z.literal("replies"), replies: z.array(MessageSchema) }),
  z.object({ type: z.literal("timeout") }),
]);
export type ReplyEvent = z.infer<typeof ReplyEventSchema>;

/** The media type a client asks for (`Accept`) to get a waiting send's answer as server-sent events. */
export const EVENT_STREAM_MEDIA_TYPE = "text/event-stream";

