import { z } from "zod";
import { ERROR_CODES } from "../errors.ts";
import { DialogueStateSchema } from "./dialogue.ts";
import { LocaleSchema, NluResultSchema } from "./nlu.ts";
import { JURISDICTIONS } from "./residency.ts";
import { TraceparentFieldSchema } from "./trace.ts";

export const MAX_TEXT_LENGTH = 4000;
export const MAX_WAIT_SECONDS = 30;

/**
 * Conversation ids are 32 lowercase hex characters (128 random bits): unguessable. A conversation
 * of a bot with a residency jurisdiction has it as a prefix (`eu-3f2a…`), so every Worker finds
 * its object in that jurisdiction from the id alone (shared/conversation-object.ts).
 */
export const ConversationIdSchema = z
  .string()
  .regex(new RegExp(`^(?:(?:${JURISDICTIONS.join("|")})-)?[0-9a-f]{32}$`), "not a conversation id");

/** The path parameters of every `/v1/conversations/{id}/…` route. */
export const ConversationParamsSchema = z.object({ id: ConversationIdSchema });

/** `agent` is a human operator who took the conversation over (handoff). */
export const RoleSchema = z.enum(["user", "bot", "agent"]);

/** One entry of a conversation's transcript, as clients see it. */
export const MessageSchema = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  role: RoleSchema,
  text: z.string(),
  createdAt: z.iso.datetime(),
  clientMessageId: z.string().optional(),
  /** For a bot message: the seq of the user message it answers. */
  replyTo: z.number().int().positive().optional(),
  /** For a bot message: the bot response it came from. */
  response: z.string().optional(),
  /** For a bot message: what the bot understood of the user message it answers. */
  nlu: NluResultSchema.optional(),
  quickReplies: z.array(z.string()).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

/** Zones checked so far: constructing an Intl.DateTimeFormat per request is the costly part. */
const knownTimezones = new Map<string, boolean>();

function isTimezone(tz: string): boolean {
  let valid = knownTimezones.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    // Bounded: a client sending endless made-up zones must not grow the isolate's memory.
    if (knownTimezones.size < 1000) knownTimezones.set(tz, valid);
  }
  return valid;
}

const TimezoneSchema = z.string().max(64).refine(isTimezone, { message: "not an IANA time zone" });

export const CreateConversationBodySchema = z.object({
  bot: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
});

export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  token: z.string(),
  bot: z.string(),
  /** Null: the locale is detected per message. */
  locale: LocaleSchema.nullable(),
  timezone: z.string(),
  createdAt: z.iso.datetime(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationSummarySchema = ConversationSchema.omit({ token: true }).extend({
  /** True while a human operator has the conversation and the bot stays silent. */
  handedOff: z.boolean(),
  lastSeq: z.number().int().nonnegative(),
  /** What the bot knows so far: slots, the form being filled (for operators and conversation tests). */
  state: DialogueStateSchema,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const MessageTextSchema = z
  .string()
  .trim()
  .min(1, "text is empty")
  .max(MAX_TEXT_LENGTH, `text is longer than ${MAX_TEXT_LENGTH} characters`);

export const ClientMessageIdSchema = z.string().min(1).max(128);

export const PostMessageBodySchema = z.object({
  text: MessageTextSchema,
  clientMessageId: ClientMessageIdSchema.optional(),
});
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;

export const PostMessageQuerySchema = z.object({
  wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).optional(),
});

export const ListMessagesQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const WebSocketQuerySchema = z.object({
  token: z.string().min(1),
  after: z.coerce.number().int().nonnegative().optional(),
});

/** What a client may send over the conversation WebSocket: the same message as POST …/messages. */
export const ClientFrameSchema = PostMessageBodySchema.extend({
  type: z.literal("message"),
  /** The message's W3C trace context (a browser cannot set headers on a WebSocket); a malformed one is ignored. */
  traceparent: TraceparentFieldSchema,
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

/** An error as clients receive it; the codes and their meaning are the table in shared/errors.ts. */
export const ErrorInfoSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

/** What the server pushes over the conversation WebSocket. */
export const ServerFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), message: MessageSchema }),
  z.object({ type: z.literal("error"), error: ErrorInfoSchema }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

export const NluParseBodySchema = z.object({
  text: MessageTextSchema,
  bot: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
});
export type NluParseBody = z.infer<typeof NluParseBodySchema>;

export const AgentMessageBodySchema = z.object({ text: MessageTextSchema });

export const ErrorBodySchema = z.object({ error: ErrorInfoSchema });
