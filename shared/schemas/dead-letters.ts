import { z } from "zod";
import { ConversationIdSchema } from "./conversation.ts";
import { queryInt, querySchema } from "./query.ts";

/**
 * Dead letters an operator can act on. A turn whose queue retries ran out (an intent or dialogue
 * consumer failed every delivery) is recorded once per turn in the dead-letter registry
 * (durable-objects/dead-letters/): which conversation and message, the stage, how many times it
 * was dispatched, the last error the consumer reported. Never the message text (an operator who
 * needs it reads the conversation, with the operator key) and never a token.
 */

/** The pipeline stage whose consumer gave up on a turn. */
export const PipelineStageSchema = z.enum(["intent", "dialogue"]);
export type PipelineStage = z.infer<typeof PipelineStageSchema>;

/** The longest error text kept: the first line of the error, cut here. */
export const MAX_ERROR_TEXT = 300;

/** A consumer's failed delivery of one turn, reported to the turn's conversation (RPC). */
export const TurnFailureReportSchema = z.strictObject({
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
  /** Failed deliveries the consumer reported for the dispatch that died; null when it reported none (it crashed or timed out). */
  deliveries: z.number().int().positive().nullable(),
  /** The last error a consumer reported for this turn (its first line, URLs without credentials or query); null: none reported. */
  lastError: z.string().max(MAX_ERROR_TEXT).nullable(),
});
export type DeadLetterFacts = z.infer<typeof DeadLetterFactsSchema>;

/** What the registry stores: the facts, their conversation, and when. */
export const DeadLetterEntrySchema = DeadLetterFactsSchema.extend({
  conversationId: ConversationIdSchema,
  /** When the registry heard of it (ISO 8601). */
  deadAt: z.iso.datetime(),
});
export type DeadLetterEntry = z.infer<typeof DeadLetterEntrySchema>;

/** A dead letter as `GET /v1/dead-letters` lists it. */
export const DeadLetterSchema = DeadLetterFactsSchema.extend({
  /** The registry's id for this turn's record, newest highest. */
  id: z.number().int().positive(),
  conversationId: ConversationIdSchema,
  firstDeadAt: z.iso.datetime(),
  lastDeadAt: z.iso.datetime(),
  /** How many times an operator replayed it, and when last. */
  replays: z.number().int().nonnegative(),
  lastReplayAt: z.iso.datetime().nullable(),
  turn: DeadLetterTurnStateSchema,
  /** True when a replay would be accepted now: the user got the fallback and the bot has the conversation. */
  replayable: z.boolean(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** A record without the conversation's live view of its turn: what the registry itself holds. */
export const StoredDeadLetterSchema = DeadLetterSchema.omit({ turn: true, replayable: true });
export type StoredDeadLetter = z.infer<typeof StoredDeadLetterSchema>;

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

/** A conversation's answer to "where are these turns" (the list's live column). */
export const TurnStatesSchema = z.record(z.string(), z.strictObject({ turn: DeadLetterTurnStateSchema, replayable: z.boolean() }));
