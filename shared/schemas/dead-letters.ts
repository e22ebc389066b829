import { z } from "zod";
import { ConversationIdSchema } from "./conversation.ts";
import { queryInt, querySchema } from "./query.ts";

/**
 * Dead letters an operator can act on. A turn whose queue retries ran out (an intent or dialogue
 * consumer failed every delivery) is recorded once per turn in the dead-letter registry
 * (durable-objects/dead-letters/): which conversation and message, the stage, how many times it
 * was dispatched, when. What became of it and the last error a consumer reported are the turn's
 * conversation's to say, and are read from it when the list is. Never the message text (an
 * operator who needs it reads the conversation, with the operator key) and never a token.
 */

/** The pipeline stage whose consumer gave up on a turn. */
export const PipelineStageSchema = z.enum(["intent", "dialogue"]);
export type PipelineStage = z.infer<typeof PipelineStageSchema>;

/** The longest error text kept: the first line of the error, cut here. */
export const MAX_ERROR_TEXT = 300;

/**
 * A consumer's failed delivery of one turn (queue `stratus-turn-failures`, versioned like every
 * queue message); the gateway hands it to the turn's conversation.
 */
export const TurnFailureReportSchema = z.strictObject({
  v: z.literal(1),
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
  stage: PipelineStageSchema,
  /** The queue's delivery count for this message (1 on the first delivery). */
  deliveries: z.number().int().positive(),
  error: z.string().max(MAX_ERROR_TEXT),
});
export type TurnFailureReport = z.infer<typeof TurnFailureReportSchema>;

/**
 * Where a dead-lettered turn is now, as its conversation knows it (read live when the list is):
 * - `retrying`: sent again, not answered yet;
 * - `fallback`: the user got the pipeline fallback — the only state a replay starts from;
 * - `answered`: a later attempt got the bot's answer;
 * - `held`: a human operator took the conversation, and answers instead;
 * - `replaying`: an operator replayed it, the pipeline is on it;
 * - `replayed`: the replay's answer reached the user (after the fallback, marked `replayed`);
 * - `unknown`: the conversation could not be asked.
 */
export const DeadLetterTurnStateSchema = z.enum(["retrying", "fallback", "answered", "held", "replaying", "replayed", "unknown"]);
export type DeadLetterTurnState = z.infer<typeof DeadLetterTurnStateSchema>;

/** What a conversation reports of a dead-lettered turn, for the registry. */
export const DeadLetterFactsSchema = z.strictObject({
  seq: z.number().int().positive(),
  stage: PipelineStageSchema,
  /** Dispatches of the turn up to the one that died (1: the first; MAX_TURN_ATTEMPTS of them end in the fallback). */
  attempts: z.number().int().positive(),
});
export type DeadLetterFacts = z.infer<typeof DeadLetterFactsSchema>;

/** A dead-lettered turn as its conversation sees it now (the list's live columns). */
export const DeadLetterTurnViewSchema = z.strictObject({
  turn: DeadLetterTurnStateSchema,
  /** True when a replay would be accepted now: the user got the fallback and the bot has the conversation. */
  replayable: z.boolean(),
  /** Failed deliveries a consumer reported for the latest dispatch that failed; null: none reported (it crashed or timed out). */
  deliveries: z.number().int().positive().nullable(),
  /** The last error a consumer reported for this turn (its first line, URLs without credentials or query); null: none reported. */
  lastError: z.string().max(MAX_ERROR_TEXT).nullable(),
});
export type DeadLetterTurnView = z.infer<typeof DeadLetterTurnViewSchema>;

/** What the registry stores: the facts, their conversation, and when. */
export const DeadLetterEntrySchema = DeadLetterFactsSchema.extend({
  conversationId: ConversationIdSchema,
  /** When the registry heard of it (ISO 8601). */
  deadAt: z.iso.datetime(),
});
export type DeadLetterEntry = z.infer<typeof DeadLetterEntrySchema>;

/** What the registry holds of a dead-lettered turn. */
export const StoredDeadLetterSchema = DeadLetterFactsSchema.extend({
  /** The registry's id for this turn's record, newest highest. */
  id: z.number().int().positive(),
  conversationId: ConversationIdSchema,
  firstDeadAt: z.iso.datetime(),
  lastDeadAt: z.iso.datetime(),
  /** How many times an operator replayed it, and when last. */
  replays: z.number().int().nonnegative(),
  lastReplayAt: z.iso.datetime().nullable(),
});
export type StoredDeadLetter = z.infer<typeof StoredDeadLetterSchema>;

/** A dead letter as `GET /v1/dead-letters` lists it: the registry's record with its conversation's view. */
export const DeadLetterSchema = StoredDeadLetterSchema.extend(DeadLetterTurnViewSchema.shape);
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const MAX_DEAD_LETTER_PAGE = 200;

export const DeadLetterListQuerySchema = querySchema({
  /** Records with a smaller id than this (the previous page's `nextBefore`). */
  before: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(1, MAX_DEAD_LETTER_PAGE).default(50),
});

export const DeadLetterListSchema = z.object({
  /** Newest first. */
  deadLetters: z.array(DeadLetterSchema),
  /** `before` for the next page; null on the last one. */
  nextBefore: z.number().int().positive().nullable(),
});

/** `/v1/dead-letters/{deadLetterId}/…`: an id that cannot be one names no dead letter (404). */
export const DeadLetterParamsSchema = z.object({ deadLetterId: z.string().regex(/^[1-9]\d{0,15}$/).transform(Number) });

/** A conversation's answer to "where are these turns", by seq. */
export const TurnStatesSchema = z.record(z.string(), DeadLetterTurnViewSchema);
