/**
 * The held-out multi-turn dialogue set: `bench/dialogue-holdout/<botId>/*.yaml`, replayed by
 * `npm run bench:dialogue` (bench/dialogue.ts). Conversations written from unhappy paths, apart from
 * every bot's training data and conversation tests: nothing that trains or tests a bot reads this
 * folder, and the bots are never tuned on it (the set must stay unseen to measure anything).
 *
 * A conversation has the turns of a conversation test (shared/schemas/conversation-test.ts), plus the
 * language it is written in (for the report; it is not imposed on the conversation, whose locale is
 * detected per message as a user's would be) and what kind of unhappy path it walks.
 *
 * ```yaml
 * conversations:
 *   - name: a refund question while the return form asks for the order number
 *     language: en
 *     tags: [digression]
 *     turns:
 *       - user: I'd like to send something back
 *         responses: [utter_ask_order_id]
 *       - user: ORD-3141592
 *         responses: [utter_ask_return_reason]
 * ```
 *
 * Relative imports carry `.ts` so Node-run scripts can load this file.
 */
import { z } from "zod";
import { ConversationTestTurnSchema } from "./conversation-test.ts";
import { LocaleSchema } from "./nlu.ts";

/** The unhappy paths a held-out conversation walks (a conversation may walk several). */
export const HoldoutPathSchema = z.enum([
  /** A side question or request inside a form. */
  "digression",
  /** The user corrects something they gave ("sorry, I meant ORD-…"). */
  "correction",
  /** An answer in the user's own words rather than one of the offered choices. */
  "free-words",
  /** Two languages in one message, or a switch of language mid-conversation. */
  "mixed-language",
  "typo",
  /** The user abandons what they started. */
  "cancel",
  /** The user switches to another request mid-way. */
  "change-of-mind",
  /** Something the bot did not understand, a request for a person. */
  "fallback",
  "emergency",
]);
export type HoldoutPath = z.infer<typeof HoldoutPathSchema>;

export const HoldoutConversationSchema = z
  .object({
    name: z.string().min(1),
    /** The language the conversation is written in (mostly): the report's breakdown. */
    language: LocaleSchema,
    tags: z.array(HoldoutPathSchema).min(1),
    turns: z.array(ConversationTestTurnSchema).min(1),
  })
  .strict();
export type HoldoutConversation = z.output<typeof HoldoutConversationSchema>;

/** One `bench/dialogue-holdout/<botId>/*.yaml` file. */
export const HoldoutConversationFileSchema = z
  .object({
    /** The file's conversations are started by this signed-in user (a user token the runner signs); default anonymous. */
    user: z.string().regex(/^[\x21-\x7e]{1,128}$/).optional(),
    conversations: z.array(HoldoutConversationSchema).min(1),
  })
  .strict();
