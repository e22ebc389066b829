import { z } from "zod";
import { ERROR_CODES } from "../errors.ts";
import { ClientKeySchema } from "./client-key.ts";
import { DialogueStateSchema, ReplyCardSchema } from "./dialogue.ts";
import { LocaleSchema, NluResultSchema } from "./nlu.ts";
import { queryInt, querySchema, querySeconds } from "./query.ts";
import { ReplySourceSchema } from "./knowledge.ts";
import { StreamDeltaFrameSchema, StreamEndFrameSchema, StreamStartFrameSchema } from "./reply-stream-frames.ts";
import { JURISDICTIONS } from "./residency.ts";
import { MessageTextSchema } from "./text.ts";
import { TraceparentFieldSchema } from "./trace.ts";

export const MAX_WAIT_SECONDS = 30;
export const MAX_PAGE_SIZE = 200;
/** The largest request body, and the largest WebSocket frame a client may send (bytes). */
export const MAX_REQUEST_BYTES = 64 * 1024;

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
  /**
   * For a bot message: what the bot understood of the user message it answers. As the transcript
   * keeps it, `intents` holds the best intent and the runner-up (the NLU's full ranking is in
   * `POST /v1/nlu/parse`).
   */
  nlu: NluResultSchema.optional(),
  quickReplies: z.array(z.string()).optional(),
  /** For a bot message answered from the bot's documents: their titles and links, best first (docs/knowledge.md). */
  sources: z.array(ReplySourceSchema).optional(),
  /**
   * For a bot message: cards (products) with a picture, a name, a price and buttons; a button's
   * `text` is the message a tap sends (send it as the user's message).
   */
  cards: z.array(ReplyCardSchema).optional(),
  /**
   * For a bot message: the pipeline's real answer, sent after the user had the pipeline fallback
   * for this message, because an operator replayed its dead letter (`POST /v1/dead-letters/{id}/replay`).
   */
  replayed: z.literal(true).optional(),
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

/**
 * Request bodies are strict: a field the API does not document is a 400 naming it, never silently
 * ignored (a misspelt `clientMesageId` would otherwise lose the retry guarantee without a word, and
 * `__proto__` or `role` get no chance to mean anything).
 */
export const CreateConversationBodySchema = z.strictObject({
  bot: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
  /**
   * The signed-in user's token, signed by the host site (docs/privacy.md): the conversation is then
   * that user's — listed in their conversations, resumable on another device, personal. A token that
   * is not valid is a 401 and nothing is created. Leave it out for an anonymous conversation.
   */
  userToken: z.string().min(1).max(8192).optional(),
});

export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  /** Authorizes this conversation's endpoints (Authorization: Bearer) until `tokenExpiresAt`. */
  token: z.string(),
  /** When the token stops being accepted; renew it before (`POST /v1/conversations/{id}/token`). */
  tokenExpiresAt: z.iso.datetime(),
  bot: z.string(),
  /**
   * The version of the bot the conversation runs on, every turn, from start to end
   * (docs/bot-versions.md); 1 is the built-in bot. Always sent; optional in the type so that a
   * client's conversation saved before versions existed (the SDK's storage, the inbox) still fits.
   */
  botVersion: z.number().int().positive().optional(),
  /** Null: the locale is detected per message. */
  locale: LocaleSchema.nullable(),
  timezone: z.string(),
  createdAt: z.iso.datetime(),
  /** The signed-in user the conversation belongs to (their user token's `sub`); absent for an anonymous conversation. */
  user: z.string().optional(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationSummarySchema = ConversationSchema.omit({ token: true, tokenExpiresAt: true, user: true }).extend({
  /** The signed-in user the conversation belongs to (their user token's `sub`); null for an anonymous conversation. */
  user: z.string().nullable(),
  /** The bot version it runs on (docs/bot-versions.md): the one it started on, for good. */
  botVersion: z.number().int().positive(),
  /** True while a human operator has the conversation and the bot stays silent. */
  handedOff: z.boolean(),
  lastSeq: z.number().int().nonnegative(),
  /** What the bot knows so far: slots, the form being filled (for operators and conversation tests). */
  state: DialogueStateSchema,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

/** A client's own id for a message (its retry key): 1–128 visible ASCII characters, e.g. a UUID. */
export const ClientMessageIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, "clientMessageId must be 1–128 visible ASCII characters (e.g. a UUID)");

export const PostMessageBodySchema = z.strictObject({
  text: MessageTextSchema,
  clientMessageId: ClientMessageIdSchema.optional(),
});
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;

/** The largest seq a query may name: far beyond any transcript, small enough to stay exact. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export const PostMessageQuerySchema = querySchema({
  wait: querySeconds(MAX_WAIT_SECONDS).optional(),
});

/** `GET /v1/conversations/{id}/messages/{seq}/replies`: a user message of the conversation. */
export const MessageRepliesParamsSchema = z.object({ id: ConversationIdSchema, seq: z.coerce.number().int().min(1).max(MAX_SEQ) });

/** `GET …/messages/{seq}/replies?wait=<seconds>`: how long to wait for the replies (0: answer at once). */
export const MessageRepliesQuerySchema = querySchema({
  wait: querySeconds(MAX_WAIT_SECONDS).optional(),
});

export const ListMessagesQuerySchema = querySchema({
  after: queryInt(0, MAX_SEQ).default(0),
  limit: queryInt(1, MAX_PAGE_SIZE).default(50),
});

/**
 * The WebSocket route's query: where the replay starts. No credential goes in the URL: the socket is
 * opened with a ticket offered in `Sec-WebSocket-Protocol` (see SocketTicketSchema).
 */
export const WebSocketQuerySchema = querySchema({
  after: queryInt(0, MAX_SEQ).optional(),
});

/**
 * Who opened a conversation WebSocket, as the gateway tells the conversation object (it builds the
 * object's request itself, so a client cannot choose): the conversation's user reads and writes, an
 * operator (the operator key) only reads.
 */
export const SocketRoleSchema = z.enum(["user", "operator"]);
export type SocketRole = z.infer<typeof SocketRoleSchema>;

/**
 * What authorized a call into a conversation, as the gateway tells its object: the conversation's
 * own token (with when it was issued, so the object can refuse tokens an operator revoked), or the
 * operator key.
 */
export const ConversationCredentialSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("conversation"), issuedAt: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("operator") }),
]);
export type ConversationCredential = z.infer<typeof ConversationCredentialSchema>;

/** `POST /v1/conversations/{id}/socket-tickets`: one WebSocket open, within seconds, offered as `Sec-WebSocket-Protocol: stratus.v1, stratus.ticket.<ticket>`. */
export const SocketTicketSchema = z.object({ ticket: z.string(), expiresAt: z.iso.datetime() });

/** `POST /v1/conversations/{id}/token`: a fresh token for the same conversation. */
export const RenewedTokenSchema = ConversationSchema.pick({ token: true, tokenExpiresAt: true });

/** `POST /v1/conversations/{id}/revoke-tokens`: tokens issued before `revokedAt` are refused from now on. */
export const RevokedTokensSchema = z.object({ revokedAt: z.iso.datetime() });

/** What the conversation object keeps with each socket (its attachment, which survives hibernation). */
export const SocketAttachmentSchema = z.object({
  role: SocketRoleSchema,
  /** Counted in the open-WebSockets gauge (durable-objects/conversation/sockets.ts): counted down once, on close. */
  countedOpen: z.boolean().default(false),
  /** The client's hashed address: its frames count against the per-address message budget. */
  client: ClientKeySchema.optional(),
});
export type SocketAttachment = z.infer<typeof SocketAttachmentSchema>;

/** The gateway → conversation object WebSocket upgrade's query: the verified ticket's claims and the replay start. */
export const SocketOpenSchema = z.strictObject({
  role: SocketRoleSchema,
  after: z.coerce.number().int().nonnegative().default(0),
  /** The ticket's nonce (single use) and expiry (ms), and the issue time of the token that minted it (ms; 0 for the operator). */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{12}$/),
  expiresAt: z.coerce.number().int().positive(),
  tokenIssuedAt: z.coerce.number().int().nonnegative(),
  client: ClientKeySchema.optional(),
});

/** What a client may send over the conversation WebSocket: the same message as POST …/messages. */
export const ClientFrameSchema = PostMessageBodySchema.extend({
  type: z.literal("message"),
  /** The message's W3C trace context (a browser cannot set headers on a WebSocket); a malformed one is ignored. */
  traceparent: TraceparentFieldSchema,
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

/** An error as clients receive it; the codes and their meaning are the table in shared/errors.ts. */
export const ErrorInfoSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Seconds to wait before retrying: `rate_limited` only (over HTTP also the Retry-After header). */
  retryAfter: z.number().int().positive().optional(),
  /** `invalid_bot` only: every problem of the refused bot, one line each, as `npm run validate` prints them. */
  problems: z.array(z.string()).optional(),
});

/**
 * What the server pushes over the conversation WebSocket: the replay and `ready`, every new message,
 * errors about the client's frames, `handoff` when a person takes the conversation over or gives it back,
 * and a reply the LLM is still writing (`stream_start`, `stream_delta`, `stream_end`: reply-stream-frames.ts).
 * (A text frame `ping` is answered `pong` without waking the object: a client's liveness check.)
 */
export const ServerFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), message: MessageSchema }),
  /**
   * After the replay on open: the conversation's last seq and handoff state. The replay sends at most
   * one page; a client whose last seq is still behind fetches the rest with GET …/messages.
   */
  z.object({ type: z.literal("ready"), lastSeq: z.number().int().nonnegative(), handedOff: z.boolean() }),
  z.object({ type: z.literal("error"), error: ErrorInfoSchema }),
  z.object({ type: z.literal("handoff"), handedOff: z.boolean() }),
  StreamStartFrameSchema,
  StreamDeltaFrameSchema,
  StreamEndFrameSchema,
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

export const NluParseBodySchema = z.strictObject({
  text: MessageTextSchema,
  bot: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
});
export type NluParseBody = z.infer<typeof NluParseBodySchema>;

export const AgentMessageBodySchema = z.strictObject({ text: MessageTextSchema });

export const ErrorBodySchema = z.strictObject({ error: ErrorInfoSchema });
