/**
 * What one conversation object stores, row by row (durable-objects/conversation/conversation-log.ts):
 * one SQLite table, `log`, keyed by seq. Row 0 is the conversation's record; every other row is
 * one or more transcript messages, and a user message carries its turn. Bodies are compact JSON
 * (short keys, defaults left out): a conversation of eight turns fits one 4 KB page.
 *
 * Each row is validated when it is read, as every stored value is.
 */
import { z } from "zod";
import { ChannelChatSchema, ChannelDeliveryRecordSchema } from "./channels.ts";
import { ClientKeySchema } from "./client-key.ts";
import { PipelineStageSchema } from "./dead-letters.ts";
import { DialogueStateSchema, ReplyCardSchema } from "./dialogue.ts";
import { HandedOffBySchema } from "./directory.ts";
import { ReplySourceSchema } from "./knowledge.ts";
import { UserKeySchema, UserSubjectSchema } from "./profile.ts";
import { EntitySourceSchema, EntityValueSchema, LocaleEvidenceSchema, LocaleSchema } from "./nlu.ts";

/** The schema version a conversation's storage is at: the `log` table, written by this code. */
export const CONVERSATION_STORAGE_VERSION = 6;

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

/** What a conversation is, fixed at creation. */
export const ConversationInfoSchema = z.object({
  id: z.string(),
  bot: z.string(),
  /** The bot version it started on and keeps (docs/bot-versions.md); conversations stored before versions existed are on 1, the built-in bot. */
  botVersion: z.number().int().positive().default(1),
  locale: LocaleSchema.nullable(),
  timezone: z.string(),
  createdAt: z.iso.datetime(),
  /** The signed-in user it was started for (the user token's `sub`); absent for an anonymous user. */
  user: UserSubjectSchema.optional(),
  /** The user's pseudonymous key (a keyed hash of `sub`, shared/user-key.ts): what the bot's analytics count users by. */
  userKey: UserKeySchema.optional(),
});
export type ConversationInfo = z.infer<typeof ConversationInfoSchema>;
/** What a conversation is created with: `botVersion` may be left out (1). */
export type NewConversationInfo = z.input<typeof ConversationInfoSchema>;

/** What the conversation remembers for its analytics reports (durable-objects/conversation/analytics-reporter.ts). */
export const AnalyticsFactsSchema = z.object({
  /** The minute and locale its first turn was counted in; null before the first turn closes. */
  startedMinute: count.nullable(),
  startedLocale: LocaleSchema.nullable(),
  /** Handoffs so far: the ordinal of the next handoff report, and whether the conversation is still contained. */
  handoffs: count,
});
export type AnalyticsFacts = z.infer<typeof AnalyticsFactsSchema>;

/** Row 0: the conversation's record. Written at creation and on the rare changes below, never per turn. */
export const ConversationRecordBodySchema = z.object({
  v: z.literal(CONVERSATION_STORAGE_VERSION),
  info: ConversationInfoSchema,
  /** A person has the conversation, and who handed it over. */
  handedOff: z.boolean().default(false),
  handedOffBy: HandedOffBySchema.nullable().default(null),
  /**
   * Left out while the conversation's first bot row says them (analytics-reporter.ts): the first
   * turn's minute and locale are that row's, so a new conversation writes no record change for them.
   */
  analytics: AnalyticsFactsSchema.optional(),
  /** Tokens issued before this moment (ms) are refused: an operator revoked them. */
  tokensValidFrom: ms.default(0),
  /** Socket tickets already used, with their expiry (ms): each opens one socket. */
  usedTickets: z.array(z.object({ nonce: z.string(), expiresAt: ms })).default([]),
  /** Turns an operator is replaying: they may sit anywhere in the log, so the record lists them. */
  replaying: z.array(z.number().int().positive()).default([]),
  /**
   * The dialogue state after a turn the bot answered without a reply (rare: bot replies carry it),
   * with the last seq then: the newer of this and the last reply row's state is the current one.
   */
  state: z.object({ seq: count, value: DialogueStateSchema }).optional(),
  /** A messaging channel's chat (docs/channels.md): absent for a conversation on the web API. */
  channel: ChannelChatSchema.optional(),
});
export type ConversationRecordBody = z.infer<typeof ConversationRecordBodySchema>;
export type UsedTicket = ConversationRecordBody["usedTickets"][number];

/** A turn's last reported failure (what its dead letter shows). */
export const StoredTurnFailureSchema = z.object({ attempt: z.number().int().positive(), stage: PipelineStageSchema, deliveries: z.number().int().positive(), error: z.string() });

/**
 * Where a user message is on its way to an answer. Written with the message; rewritten only off the
 * common path (a turn queued behind another, a retry, a failure report, a hold, a replay). A turn a
 * bot reply group closes is answered without its row changing: the closing row says so.
 */
export const StoredTurnSchema = z.object({
  /** queued, dispatched, or answered — written as answered only when no reply row closes it (held, a failed replay). */
  s: z.enum(["q", "d", "a"]),
  /** Dispatches so far. */
  a: count,
  /** When the last dispatch left (ms); left out when it left as the message was written (the row's own time). */
  d: ms.optional(),
  /** The outcome, when `s` is answered. */
  o: z.enum(["bot", "fallback", "held"]).optional(),
  f: StoredTurnFailureSchema.optional(),
  /** An operator replays it: the attempt it had then, and the last seq of the transcript then (a reply after it closes the replay). */
  r: count.optional(),
  rs: count.optional(),
});
export type StoredTurn = z.infer<typeof StoredTurnSchema>;

/** A user message and its turn. */
export const UserRowBodySchema = z.object({
  x: z.string(),
  c: z.string().optional(),
  /** The turn's trace id and, when the client sent one, the W3C trace context it continues. */
  i: z.string(),
  p: z.string().optional(),
  /** The writer's hashed address (per-address budgets downstream). */
  k: ClientKeySchema.optional(),
  t: StoredTurnSchema,
});
export type UserRowBody = z.infer<typeof UserRowBodySchema>;

/** What the bot understood, kept with its replies: the best intent and the runner-up (not the whole ranking), the entities, the locale. */
export const StoredNluSchema = z.object({
  i: z.string(),
  c: z.number().min(0).max(1),
  /** The runner-up intent and its confidence, when there is one. */
  k: z.tuple([z.string(), z.number().min(0).max(1)]).optional(),
  l: LocaleSchema,
  v: LocaleEvidenceSchema.optional(),
  /** The entities: name, value, start, end, source, and the text read when it is not the value itself. */
  e: z.array(z.union([z.tuple([z.string(), EntityValueSchema, count, count, EntitySourceSchema, z.string()]), z.tuple([z.string(), EntityValueSchema, count, count, EntitySourceSchema])])).optional(),
});

/**
 * A bot's replies to one user message, in one row (a turn costs one write for all of them): they
 * take consecutive seqs from the row's. The group that answers a turn closes it (`z`), and one the
 * bot answered carries the dialogue state after the turn.
 */
export const BotRowBodySchema = z.object({
  /** The user message they answer; left out when it is the message right before them. */
  r: z.number().int().positive().optional(),
  /** Each reply: its text, response, quick replies, and the documents it quotes (title and link). */
  m: z
    .array(
      z.object({
        x: z.string(),
        rs: z.string().optional(),
        q: z.array(z.string()).optional(),
        so: z.array(ReplySourceSchema).optional(),
        /** The reply's cards, as sent. */
        cd: z.array(ReplyCardSchema).optional(),
      }),
    )
    .min(1),
  n: StoredNluSchema.optional(),
  /** The replies of an operator's replay, after the pipeline fallback. */
  rp: z.literal(1).optional(),
  /** Closes the turn it answers: by the bot (with the state after it) or with the pipeline fallback. */
  z: z.enum(["bot", "fallback"]).optional(),
  /** The dialogue state after the turn, when the turn changed it (else the last one written holds). */
  s: DialogueStateSchema.optional(),
});
export type BotRowBody = z.infer<typeof BotRowBodySchema>;
/** A bot row as written: defaults (of the dialogue state) left out. */
export type StoredBotRow = z.input<typeof BotRowBodySchema>;
export type StoredDialogueState = z.input<typeof DialogueStateSchema>;

/** A human operator's message. */
export const AgentRowBodySchema = z.object({ x: z.string() });

/**
/**
 * A channel conversation's delivery record (row -1, kind `o`; shared/channel-delivery.ts): which of
 * its bot and agent messages the platform has (`sentThrough`), and the send under way. Written by
 * the outbound sender's claims and settles, never on a web conversation.
 */
export const OUTBOUND_ROW_SEQ = -1;
export const OutboundRowBodySchema = ChannelDeliveryRecordSchema;

/**
 * A row of the `log` table as SQLite returns it: its body JSON text, or that text compressed (a
 * BLOB, durable-objects/conversation/row-codec.ts).
 */
export const StoredLogRowSchema = z.object({
  /** A message's seq (≥ 1), the record's 0, or the outbound row's -1. */
  seq: z.number().int().min(OUTBOUND_ROW_SEQ),
  kind: z.enum(["c", "u", "b", "a", "o"]),
  at: ms,
  body: z.union([z.string(), z.instanceof(ArrayBuffer)]),
});
/** A row as the conversation reads it: its body as JSON text. */
export type LogRow = Omit<z.infer<typeof StoredLogRowSchema>, "body"> & { body: string };
