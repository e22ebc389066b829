import { z } from "zod";
import { ReplySourceSchema } from "./knowledge.ts";
import { EntityValueSchema, LocaleSchema, MoneyValueSchema } from "./nlu.ts";

export const SlotValueSchema = z.union([EntityValueSchema, z.boolean(), z.null()]);
export type SlotValue = z.infer<typeof SlotValueSchema>;

/** A form being filled: which slot the bot asked for last and how often the answer was invalid. */
export const ActiveFormSchema = z.object({
  name: z.string().min(1),
  requestedSlot: z.string().nullable(),
  invalidAttempts: z.number().int().nonnegative().default(0),
  /**
   * The bot asked whether a free-words answer meant this value ("That sounds like “not as
   * described” — right?"): a yes sets the slot, a no asks again.
   */
  confirming: z
    .object({
      slot: z.string().min(1),
      value: SlotValueSchema,
      /** The value is the signed-in user's remembered answer, offered back ("Still a 10-year horizon?"): a no asks the question. */
      remembered: z.literal(true).optional(),
    })
    .nullable()
    .default(null),
});

/**
 * A value the signed-in user's profile holds (shared/schemas/profile.ts checks each field's type):
 * text, a number, an amount, a yes/no. Declared here, apart from the profile's schemas, because the
 * dialogue state carries it and the profile's schemas depend on the conversation's.
 */
const ProfileSnapshotValueSchema = z.union([z.string().max(500), z.number().finite(), z.boolean(), MoneyValueSchema]);

/**
 * What a signed-in user's profile says, as one conversation of one bot sees it: read once, when the
 * conversation is created, and carried in the dialogue state from turn to turn (no profile read per
 * turn). Only the fields the bot may read (bot.yaml `profile.read`) and consent for its purposes.
 * Absent for an anonymous user.
 */
export const ProfileSnapshotSchema = z.object({
  /** `<category>.<field>` → value: what templates and conditions read as `profile.*`. */
  facts: z.record(z.string().max(64), ProfileSnapshotValueSchema).default({}),
  /** Purpose → whether the user consents now. */
  consents: z.record(z.string().max(32), z.boolean()).default({}),
  /** The consent question the bot asked last turn (a yes or no answers it), for this purpose. */
  asking: z.string().max(32).nullable().default(null),
  /** Purposes the user declined in this conversation: not asked again here, nothing of them outlives it. */
  declined: z.array(z.string().max(32)).max(8).default([]),
});
export type ProfileSnapshot = z.infer<typeof ProfileSnapshotSchema>;

/**
 * A card button's postback: the message a tap sends (the button's text) and what the bot does when
 * it comes (the button's step, its slot values rendered when the card was shown). Kept in the
 * dialogue state, so a tap is answered as the button it was, on any channel, and a client cannot
 * invent one.
 */
export const PostbackSchema = z.object({
  text: z.string().min(1).max(200),
  setSlots: z.record(z.string().max(64), SlotValueSchema).optional(),
  response: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  form: z.string().max(64).optional(),
  /** A recommendation card's button: a tap counts as a click on a recommendation (analytics' click-through). */
  recommendation: z.literal(true).optional(),
});
export type Postback = z.infer<typeof PostbackSchema>;

/** At most this many postbacks are kept: the buttons of the last few cards shown, newest first. */
export const MAX_POSTBACKS = 12;

/**
 * Dialogue state owned by the dialogue engine and stored by the conversation Durable Object.
 * The DO sends a snapshot with each turn and stores the one the dialogue Worker returns.
 */
export const DialogueStateSchema = z.object({
  slots: z.record(z.string(), SlotValueSchema).default({}),
  activeForm: ActiveFormSchema.nullable().default(null),
  /** Consecutive turns the bot could not understand; drives rephrase → offer a human. */
  fallbackStreak: z.number().int().nonnegative().default(0),
  lastIntent: z.string().nullable().default(null),
  /** The bot offered a human (fallback policy); a yes now hands off, a no is acknowledged. */
  handoffOffered: z.boolean().default(false),
  /** The bot's disclaimer (e.g. "not financial advice") was already said in this conversation. */
  disclaimerShown: z.boolean().default(false),
  /** The locale of the bot's last reply: kept for messages with no language of their own ("ORD-4820193"). */
  lastLocale: LocaleSchema.nullable().default(null),
  /** The signed-in user's profile as this conversation sees it (ProfileSnapshotSchema); absent for an anonymous user. */
  profile: ProfileSnapshotSchema.optional(),
  /** The buttons of the cards shown last, newest first: a message that is one of their texts is that tap. */
  postbacks: z.array(PostbackSchema).max(MAX_POSTBACKS).optional(),
});
export type DialogueState = z.infer<typeof DialogueStateSchema>;
export const initialDialogueState = (): DialogueState => DialogueStateSchema.parse({});

/**
 * A card's image: an absolute http(s) URL, or a path on the site the widget runs in
 * ("/products/coffee.svg", resolved against the page like any image on it).
 */
export const CardImageUrlSchema = z
  .string()
  .max(2000)
  .refine((url) => /^https?:\/\/[^\s]+$/i.test(url) || /^\/(?!\/)[^\s]*$/.test(url), { message: "an image URL is http(s)://… or a path starting with /" });

/** The longest a card's parts may be (the dialogue engine clips a rendered card to these, cards.ts). */
export const MAX_CARD_TITLE = 200;
export const MAX_CARD_SUBTITLE = 300;
export const MAX_CARD_PRICE = 40;
export const MAX_CARD_BUTTON_TITLE = 40;
/** A button's text: the message a tap sends, kept as its postback's text. */
export const MAX_CARD_BUTTON_TEXT = 200;

/** A card's button: its label, and the message a tap sends (the bot answers it as the button's postback). */
export const ReplyCardButtonSchema = z.object({
  title: z.string().min(1).max(MAX_CARD_BUTTON_TITLE),
  text: z.string().min(1).max(MAX_CARD_BUTTON_TEXT),
});

/**
 * A card in a bot reply (a product: its picture, name, price and buttons). The widget shows it as a
 * card; a channel without cards gets it as lines of text, its buttons as quick replies
 * (shared/channel-cards.ts).
 */
export const ReplyCardSchema = z.object({
  title: z.string().min(1).max(MAX_CARD_TITLE),
  subtitle: z.string().min(1).max(MAX_CARD_SUBTITLE).optional(),
  imageUrl: CardImageUrlSchema.optional(),
  /** The price as the reply shows it, formatted in the reply's language ("$18.50", "US$18.50"). */
  price: z.string().min(1).max(MAX_CARD_PRICE).optional(),
  buttons: z.array(ReplyCardButtonSchema).max(3),
});
export type ReplyCard = z.infer<typeof ReplyCardSchema>;

/** One message the bot says. */
export const BotReplySchema = z.object({
  text: z.string().min(1).max(8000),
  /** Name of the bot response it came from (`utter_order_status`), for tests and analytics. */
  response: z.string().optional(),
  quickReplies: z.array(z.string().min(1).max(200)).max(10).optional(),
  /** The documents an answer from documents was drawn from (docs/knowledge.md), best first. */
  sources: z.array(ReplySourceSchema).max(8).optional(),
  /** Cards (products), in the order shown. */
  cards: z.array(ReplyCardSchema).max(10).optional(),
});
export type BotReply = z.infer<typeof BotReplySchema>;

/** What the dialogue engine decided for one user turn. */
export const DialogueDecisionSchema = z.object({
  replies: z.array(BotReplySchema),
  state: DialogueStateSchema,
  /** True when the bot hands the conversation to a human; the bot then stays silent until released. */
  handoff: z.boolean().default(false),
});
export type DialogueDecision = z.infer<typeof DialogueDecisionSchema>;

/** How a backend action's call ended (workers/dialogue/src/engine/effects.ts says what each means). */
export const ActionCallOutcomeSchema = z.enum(["matched", "unmatched", "badJson", "failed", "notSent"]);

/** At most this many forms and action calls a turn's decision summary lists (a turn has one or two). */
export const MAX_SUMMARY_ENTRIES = 32;
/** At most this many recommendation cards shown, and taps on them, count for one turn. */
export const MAX_RECOMMENDATIONS_COUNTED = 50;

/**
 * What a turn's decision did that is counted, read from its effects by the dialogue Worker: whether
 * the bot fell back (did not understand), the forms that ended, the backend actions it called. The
 * conversation object records it with the turn when it applies the result, so each turn counts once
 * however often the queue delivered it.
 */
export const DecisionSummarySchema = z.object({
  fallback: z.boolean(),
  forms: z.array(z.object({ form: z.string().min(1), outcome: z.enum(["completed", "cancelled"]) })).max(MAX_SUMMARY_ENTRIES),
  actions: z
    .array(z.object({ action: z.string().min(1), outcome: ActionCallOutcomeSchema, durationMs: z.number().nonnegative().finite() }))
    .max(MAX_SUMMARY_ENTRIES),
  /**
   * Recommendation cards the turn's replies showed, and clicks on a card's button the turn's message
   * was: counted as the analytics' recommendation click-through (docs/privacy.md, "Behaviour analytics").
   */
  recommendations: z
    .object({ shown: z.number().int().nonnegative().max(MAX_RECOMMENDATIONS_COUNTED), clicked: z.number().int().nonnegative().max(MAX_RECOMMENDATIONS_COUNTED) })
    .optional(),
});
export type DecisionSummary = z.infer<typeof DecisionSummarySchema>;
