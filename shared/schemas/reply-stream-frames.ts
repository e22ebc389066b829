/**
 * A bot reply streamed while the LLM writes it (docs/streaming.md): the frames the conversation
 * object pushes over the WebSocket, and the events of `POST …/messages?wait` asked for as
 * `text/event-stream`. The stream is a preview held in the object's memory only; the reply that
 * counts is the stored message that ends it (`stream_end.messageId`).
 *
 * No import from conversation.ts: it imports these frames for its ServerFrameSchema.
 */
import { z } from "zod";

/** The longest text one delta carries (a stored reply's limit). */
export const STREAM_DELTA_MAX_CHARS = 8000;

/**
 * A stream's id, unique in its conversation: `<conversation id>:<seq it answers>:<8 hex>`. A
 * reply's seq is only known when it is stored, so a stream has its own id and its end names the
 * message that takes its place.
 */
export const ReplyStreamIdSchema = z.string().regex(/^(?:[a-z]{2}-)?[0-9a-f]{32}:[1-9][0-9]{0,15}:[0-9a-f]{8}$/, "not a reply stream id");

/**
 * A stream begins, or (after a socket opens, and for an SSE request that joins late) the stream
 * so far: `text` holds its deltas 0 … `next` − 1 ("" and 0 on a fresh start). A client that has
 * already seen up to `next` or further keeps what it has.
 */
export const StreamStartFrameSchema = z.object({
  type: z.literal("stream_start"),
  id: ReplyStreamIdSchema,
  /** The seq of the user message the reply answers. */
  replyTo: z.number().int().positive(),
  text: z.string(),
  next: z.number().int().nonnegative(),
});

/** The next piece of the reply's text: delta `index` (0, 1, 2 …); a client applies it only when it is the one it expects. */
export const StreamDeltaFrameSchema = z.object({
  type: z.literal("stream_delta"),
  id: ReplyStreamIdSchema,
  index: z.number().int().nonnegative(),
  text: z.string().min(1).max(STREAM_DELTA_MAX_CHARS),
});

/**
 * The stream is over. `messageId`: the stored reply that takes its place (its `message` frame
 * follows at once) — the LLM's whole answer, or the bot's fallback when the stream broke off; null
 * when nothing does (a person took the conversation over, or a newer stream replaced this one):
 * the preview is dropped.
 */
export const StreamEndFrameSchema = z.object({
  type: z.literal("stream_end"),
  id: ReplyStreamIdSchema,
  replyTo: z.number().int().positive(),
  messageId: z.string().nullable(),
});

export const StreamFrameSchema = z.discriminatedUnion("type", [StreamStartFrameSchema, StreamDeltaFrameSchema, StreamEndFrameSchema]);
export type StreamFrame = z.infer<typeof StreamFrameSchema>;
export type StreamStartFrame = z.infer<typeof StreamStartFrameSchema>;
