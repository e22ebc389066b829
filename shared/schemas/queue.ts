import { z } from "zod";
import { ClientKeySchema } from "./client-key.ts";
import { DecisionSummarySchema, DialogueDecisionSchema, DialogueStateSchema } from "./dialogue.ts";
import { LocaleSchema, NluResultSchema } from "./nlu.ts";
import { UserSubjectSchema } from "./profile.ts";
import { TraceparentFieldSchema } from "./trace.ts";

const Instant = z.number().nonnegative().finite().optional();

/**
 * When a turn passed each stage, in ms since the epoch, each read from the clock of the machine
 * that ran the stage (shared/metrics/stage-timings.ts says what their differences mean). The
 * conversation object stamps `dispatchedAt`, each Worker adds its start and end, and the result
 * brings them all back. Everything is optional and a malformed value is dropped: a message from a
 * version without timings (during a deploy) simply gives its turn no stage figures.
 */
export const TurnTimingsSchema = z
  .object({
    dispatchedAt: Instant,
    intentStartedAt: Instant,
    intentEndedAt: Instant,
    dialogueStartedAt: Instant,
    dialogueEndedAt: Instant,
  })
  .optional()
  .catch(undefined);
export type TurnTimings = NonNullable<z.infer<typeof TurnTimingsSchema>>;

/**
 * Everything a Worker downstream of the conversation Durable Object needs to handle one user turn.
 * Queue messages are versioned: a consumer rejects a version it does not know instead of guessing.
 * A field added within a version is optional (and ignored by a consumer that does not know it), so
 * messages already in flight during a deploy are accepted by both versions.
 */
const TurnFields = {
  v: z.literal(1),
  conversationId: z.string().min(1),
  /** Sequence number of the user message in the transcript. */
  seq: z.number().int().positive(),
  /** 1 for the first dispatch; the watchdog re-dispatches with attempt + 1. */
  attempt: z.number().int().positive(),
  traceId: z.string().min(1),
  /** The W3C trace context the turn continues (shared/trace-context.ts); absent in older messages. */
  traceparent: TraceparentFieldSchema,
  botId: z.string().min(1),
  /** The bot version the conversation is pinned to (docs/bot-versions.md); absent in messages of older code: the built-in 1. */
  botVersion: z.number().int().positive().default(1),
  /** The conversation's locale, or null to detect it per message. */
  locale: LocaleSchema.nullable(),
  timezone: z.string().min(1),
  text: z.string().min(1),
  /** When the user sent the message (ISO 8601): "now" for relative dates. */
  sentAt: z.iso.datetime({ offset: true }),
  /** The dialogue state when the turn was dispatched (one turn is in flight per conversation). */
  state: DialogueStateSchema,
  /** The writer's hashed address (ClientKeySchema), for per-address budgets downstream (the LLM fallback's); absent when unknown. */
  client: ClientKeySchema.optional(),
  /**
   * The signed-in user's id (the user token's `sub`), for a conversation started with a user token:
   * the dialogue Worker asserts it to the bot's backends and writes the user's profile. Absent for an
   * anonymous user.
   */
  user: UserSubjectSchema.optional(),
  timings: TurnTimingsSchema,
};

/** Conversation DO → intent Worker. */
export const IntentQueueMessageSchema = z.object({ kind: z.literal("turn"), ...TurnFields });
export type IntentQueueMessage = z.infer<typeof IntentQueueMessageSchema>;

/** Intent Worker → dialogue Worker: the same turn with its NLU result. */
export const DialogueQueueMessageSchema = z.object({
  kind: z.literal("understood-turn"),
  ...TurnFields,
  nlu: NluResultSchema,
});
export type DialogueQueueMessage = z.infer<typeof DialogueQueueMessageSchema>;

/** A dialogue result names at most this many of the bot's own contact details (`ownValues`), each at most this long. */
export const MAX_OWN_VALUES = 16;
export const MAX_OWN_VALUE_LENGTH = 64;

/** Dialogue Worker → conversation DO (RPC): the decision for one turn, applied at most once. */
export const DialogueResultSchema = DialogueDecisionSchema.extend({
  v: z.literal(1),
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
  traceId: z.string().min(1),
  nlu: NluResultSchema,
  /** The turn's stage timestamps, up to the dialogue Worker's end. */
  timings: TurnTimingsSchema,
  /** What the decision did (fallback, forms, actions); absent from older dialogue Workers. */
  decision: DecisionSummarySchema.optional().catch(undefined),
  /**
   * The user's message with what the bot marks sensitive masked (a sensitive slot's value, a
   * sensitive entity: shared/redaction/), when that masks more than the platform's own detectors
   * did when it was stored: the conversation keeps this text instead.
   */
  maskedText: z.string().optional(),
  /**
   * The bot's own contact details its replies say (a hotline in an FAQ answer): no one's personal
   * data, so the conversation does not mask them where it keeps the replies (shared/redaction `keep`).
   */
  ownValues: z.array(z.string().min(1).max(MAX_OWN_VALUE_LENGTH)).max(MAX_OWN_VALUES).optional(),
});
export type DialogueResult = z.infer<typeof DialogueResultSchema>;
