/**
 * Conversation tests ("test stories"): `bots/<botId>/tests/*.yaml`, replayed against the real
 * Workers by `npm run test:conversations` (and by `npm test`).
 *
 * ```yaml
 * user: alice                       # optional: the tests are started by this signed-in user (a test may name its own)
 * tests:
 *   - name: track an order given up front
 *     locale: en                    # optional: the conversation's locale (default: detected per message)
 *     turns:
 *       - user: "where is my order ORD-4820193"
 *         intent: order_status      # what the NLU understood
 *         locale: en                # the locale it was understood in
 *         response: utter_order_shipped   # one of the turn's replies came from this response
 *         contains: "UPS"          # the replies' text contains this (or every string of a list)
 *         slots: { order_id: "ORD-4820193" }   # the dialogue state after this turn
 *         cards: ["Coffee grinder"]  # cards shown, by title
 *       - user: "talk to a human"
 *         handoff: true             # the bot handed the conversation to a person
 * ```
 *
 * Relative imports carry `.ts` so the Node-run test runner can load this file.
 */
import { z } from "zod";
import { SlotValueSchema } from "./dialogue.ts";
import { LocaleSchema } from "./nlu.ts";

const OneOrMoreStrings = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (typeof value === "string" ? [value] : value));

export const ConversationTestTurnSchema = z
  .object({
    user: z.string().trim().min(1),
    /** The NLU intent of this message. */
    intent: z.string().min(1).optional(),
    /** The locale the NLU understood this message in (the test's `locale`, or detected). */
    locale: LocaleSchema.optional(),
    /** Some reply of this turn came from this response (`faq:<id>` for FAQ answers). */
    response: z.string().min(1).optional(),
    /** Exactly these responses, in order. */
    responses: z.array(z.string().min(1)).optional(),
    /** Every string appears in the turn's replies (case-insensitive). */
    contains: OneOrMoreStrings.optional(),
    /** No string appears in the turn's replies (case-insensitive). */
    notContains: OneOrMoreStrings.optional(),
    /** Every one of these quick replies is offered. */
    quickReplies: z.array(z.string().min(1)).optional(),
    /** Cards with these titles are shown (a card's button is tapped by sending its text: "View: Coffee grinder"). */
    cards: z.array(z.string().min(1)).optional(),
    /** true: the bot handed off (said its handoff response); false: it did not. */
    handoff: z.boolean().optional(),
    /** After this turn these slots hold these values (null: empty). Other slots are not checked. */
    slots: z.record(z.string(), SlotValueSchema).optional(),
  })
  .strict();
export type ConversationTestTurn = z.output<typeof ConversationTestTurnSchema>;

/** A signed-in user the conversation is started for (the runner signs a user token with the test stack's secret). */
const TestUserSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, "a user id is 1-128 visible ASCII characters");

export const ConversationTestSchema = z
  .object({
    name: z.string().min(1),
    /** Started by this signed-in user (their user token); default: the file's `user`, else anonymous. */
    user: TestUserSchema.optional(),
    locale: LocaleSchema.optional(),
    timezone: z.string().optional(),
    turns: z.array(ConversationTestTurnSchema).min(1),
  })
  .strict();
export type ConversationTest = z.output<typeof ConversationTestSchema>;

/** One `tests/*.yaml` file. */
export const ConversationTestFileSchema = z
  .object({
    /** Every test of the file is started by this signed-in user (unless a test names its own). */
    user: TestUserSchema.optional(),
    tests: z.array(ConversationTestSchema).min(1),
  })
  .strict();
export type ConversationTestFile = z.output<typeof ConversationTestFileSchema>;
