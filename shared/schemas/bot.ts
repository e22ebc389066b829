/**
 * A bot definition: `bots/<id>/bot.yaml` (+ optional `bots/<id>/faq.yaml`), compiled by
 * `cli/build-bots.ts` into `generated/bots.json`. See docs/bots.md for a worked example.
 *
 * Everything the dialogue engine does is described here: responses (templates per locale),
 * slots (filled from NLU entities or form answers), rules (intent + conditions → steps),
 * forms (ask for slots until complete, then run steps), HTTP actions, an FAQ, the fallback
 * policy and human handoff.
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import { z } from "zod";
import { isPlatformEnvName, PLATFORM_ENV_NAMES, PLATFORM_ENV_PREFIXES } from "../env.ts";
import { BotAnalyticsSettingsSchema } from "./analytics.ts";
import { SlotValueSchema } from "./dialogue.ts";
import { KnowledgeSettingsSchema } from "./knowledge.ts";
import { LOCALES } from "../languages/index.ts";
import { type Locale, LocaleSchema, localeMap } from "./nlu.ts";
import {
  expandFieldPatterns,
  PROFILE_FIELDS,
  ProfileFieldPatternSchema,
  ProfileFieldSchema,
  ProfilePurposeSchema,
  SPECIAL_PURPOSES,
  type ProfileField,
  type ProfileValueType,
} from "./profile.ts";
import { ResidencySchema } from "./residency.ts";

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const BotNameSchema = z.string().regex(NAME_PATTERN, "names are letters, digits, _ . - (starting with a letter)");
export const BotIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "bot ids are lowercase letters, digits, _ -");

const RegexSchema = z.string().min(1).superRefine((source, ctx) => {
  try {
    // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
    new RegExp(source, "iu");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `invalid regex: ${(error as Error).message}` });
  }
});

const QuickRepliesSchema = z.array(z.string().min(1).max(200)).max(10);

/**
 * A card button as bot.yaml writes it: its label, the message a tap sends, and what the bot does when
 * that message comes back (a step: slots set, a response, an action, a form). Its texts and slot
 * values are templates, rendered when the card is shown.
 */
export const CardButtonTemplateSchema = z
  .object({
    title: z.string().min(1).max(40),
    /** The message a tap sends (and the transcript shows); default: "<title>: <card title>". */
    text: z.string().min(1).max(200).optional(),
    setSlots: z.record(BotNameSchema, z.string().min(1)).optional(),
    response: BotNameSchema.optional(),
    action: BotNameSchema.optional(),
    form: BotNameSchema.optional(),
  })
  .strict()
  .refine((button) => button.response !== undefined || button.action !== undefined || button.form !== undefined, {
    message: "a card button needs something to do: a response, an action or a form",
  });
export type CardButtonTemplate = z.output<typeof CardButtonTemplateSchema>;

/**
 * A card in a response (a product: picture, name, price, buttons). Every text is a template; a card
 * whose title renders empty is left out (three recommended products, fewer when fewer came back).
 */
export const CardTemplateSchema = z
  .object({
    title: z.string().min(1).max(200),
    subtitle: z.string().min(1).max(300).optional(),
    /** http(s)://… or a path on the site the widget runs in ("/products/{rec_1_category}.svg"). */
    imageUrl: z.string().min(1).max(2000).optional(),
    price: z.string().min(1).max(80).optional(),
    /** A recommended item: shown and tapped, it counts in the analytics' recommendation click-through. */
    recommendation: z.boolean().optional(),
    buttons: z.array(CardButtonTemplateSchema).max(3).default([]),
  })
  .strict();
export type CardTemplate = z.output<typeof CardTemplateSchema>;

/** What every shorthand of a localized response normalises to. */
interface NormalizedText {
  text: string[];
  quickReplies?: string[] | undefined;
  cards?: CardTemplate[] | undefined;
}

/**
 * One response in one locale. Shorthands: a string (one variation) or a list of strings
 * (variations). All forms normalise to `{ text: [...variations], quickReplies? }`, which is
 * itself valid input, so a compiled bot parses again unchanged.
 */
const LocalizedResponseSchema = z.union([
  z
    .string()
    .min(1)
    .transform((text): NormalizedText => ({ text: [text] })),
  z
    .array(z.string().min(1))
    .min(1)
    .transform((text): NormalizedText => ({ text })),
  z
    .object({
      text: z
        .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
        .transform((text) => (typeof text === "string" ? [text] : text)),
      quickReplies: QuickRepliesSchema.optional(),
      cards: z.array(CardTemplateSchema).max(10).optional(),
    })
    .strict(),
]);
export type LocalizedResponse = z.output<typeof LocalizedResponseSchema>;

/** A response: one entry per locale the bot speaks (`npm run validate` checks every declared locale is there). */
export const ResponseSchema = localeMap(LocalizedResponseSchema);
export type BotResponse = z.output<typeof ResponseSchema>;

export const SlotTypeSchema = z.enum(["text", "number", "money", "date", "enum", "boolean"]);
export type SlotType = z.infer<typeof SlotTypeSchema>;

/** `profile.<field>`: a field of the profile catalogue (shared/schemas/profile.ts), kept as written. */
const RememberSchema = z.string().superRefine((reference, ctx) => {
  const field = reference.startsWith("profile.") ? reference.slice("profile.".length) : undefined;
  if (field === undefined || !ProfileFieldSchema.safeParse(field).success) {
    ctx.addIssue({ code: "custom", message: `"${reference}" is not profile.<field> of a known profile field` });
  }
});

/** The profile field a slot is remembered in, if any. */
export function rememberedField(slot: Pick<SlotDefinition, "remember">): ProfileField | undefined {
  if (slot.remember === undefined || !slot.remember.startsWith("profile.")) return undefined;
  const field = ProfileFieldSchema.safeParse(slot.remember.slice("profile.".length));
  return field.success ? field.data : undefined;
}

/** The slot types a field of each profile value type takes. */
const SLOT_TYPES_OF_FIELD: Record<ProfileValueType, readonly SlotType[]> = {
  text: ["text", "enum"],
  number: ["number"],
  money: ["money"],
  date: ["date"],
  boolean: ["boolean"],
};

export const SlotDefinitionSchema = z
  .object({
    type: SlotTypeSchema,
    /** NLU entities that fill this slot whenever they appear in a message (any turn). */
    entity: z
      .union([BotNameSchema, z.array(BotNameSchema)])
      .optional()
      .transform((entity) => (entity === undefined ? [] : typeof entity === "string" ? [entity] : entity)),
    /** Allowed values of an `enum` slot. */
    values: z.array(z.string().min(1)).optional(),
    /** For `enum` slots: words in a form answer that mean a value (`damaged: [broken, 坏了]`). */
    synonyms: z.record(z.string(), z.array(z.string().min(1))).optional(),
    /**
     * For `enum` slots: how a value reads to the user, per locale (`not_as_described: { en: not as
     * described, zh: 与描述不符 }`): in replies (`{return_reason}`) and when the bot checks a free-words
     * answer. Default: the value with spaces for underscores.
     */
    labels: z.record(z.string(), localeMap(z.string().min(1).max(200))).optional(),
    /**
     * For `enum` slots: answers in the user's own words, per value and locale. A form answer that
     * names no value or synonym is matched against them (free words, see `freeWords`).
     */
    examples: z.record(z.string(), localeMap(z.array(z.string().min(1).max(500)).min(1))).optional(),
    /**
     * How much of a free-words answer must speak for a value (0–1: the weight of its words that the
     * value's texts use, over the weight of all its words; engine/free-words.ts): from `accept` on it
     * is the answer; from `confirm` on the bot asks whether it is
     * ("That sounds like “not as described” — right?"); below, the answer is not understood.
     */
    freeWords: z
      .object({ accept: z.number().min(0).max(1).default(0.6), confirm: z.number().min(0).max(1).default(0.3) })
      .strict()
      .refine((levels) => levels.confirm <= levels.accept, { message: "confirm must not be above accept" })
      .optional(),
    /**
     * For `enum` slots: an answer may name several values ("kidney disease and asthma"); the slot
     * holds every value named, comma-separated in the order of `values` ("kidney_disease,asthma"),
     * and reads in replies as their labels joined ("kidney disease and asthma").
     */
    multiple: z.boolean().optional(),
    /**
     * For `enum` slots: a number in a form answer that names no value picks the value whose range
     * holds it, bounds included (`ranges: { child: [0, 17], adult: [18, 64], older_adult: [65, 130] }`:
     * "she's 78", "他七十五了" are older_adult). Only when the message has one number; in a message
     * with none, the hour of its one time of day ("九点多" is 09:00: `morning: [7, 11]`).
     */
    ranges: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
    /** For a `multiple` enum slot: the value that means none of the others, dropped when an answer names another too. */
    none: z.string().min(1).optional(),
    /**
     * Saved to the signed-in user's profile (`remember: profile.finance.horizon`) and offered back in
     * their next conversation instead of asked again. The field must be in the bot's `profile.write`.
     */
    remember: RememberSchema.optional(),
    /**
     * An entity in a message that answers a form's question about another slot leaves this slot as
     * it was: "warfarin", the answer to "which medicines do you take?", is not the medicine asked
     * about. A request that interrupts the form ("can I take paracetamol instead?") still fills it.
     */
    keepDuringAnswers: z.boolean().optional(),
    /** The value is personal: stored transcripts, logs, analytics and exports show it masked (shared/redaction/). */
    sensitive: z.boolean().optional(),
  })
  .strict()
  .superRefine((slot, ctx) => {
    if (slot.type === "enum" && (slot.values?.length ?? 0) === 0) {
      ctx.addIssue({ code: "custom", path: ["values"], message: "an enum slot needs values" });
    }
    for (const key of ["synonyms", "labels", "examples", "ranges"] as const) {
      for (const value of Object.keys(slot[key] ?? {})) {
        if (!(slot.values ?? []).includes(value)) {
          ctx.addIssue({ code: "custom", path: [key, value], message: `"${value}" is not one of the slot's values` });
        }
      }
    }
    if (slot.type !== "enum") {
      for (const key of ["labels", "examples", "freeWords", "multiple", "ranges"] as const) {
        if (slot[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `only an enum slot has ${key}` });
      }
    }
    for (const [value, [low, high]] of Object.entries(slot.ranges ?? {})) {
      if (low > high) ctx.addIssue({ code: "custom", path: ["ranges", value], message: "a range's first bound must not be above its second" });
    }
    if (slot.multiple === true && slot.ranges !== undefined) {
      ctx.addIssue({ code: "custom", path: ["ranges"], message: "a multiple-choice slot takes the values it names, not ranges" });
    }
    if (slot.multiple === true && slot.examples !== undefined) {
      ctx.addIssue({ code: "custom", path: ["examples"], message: "a multiple-choice slot takes the values it names, not free words" });
    }
    if (slot.none !== undefined) {
      if (slot.multiple !== true) ctx.addIssue({ code: "custom", path: ["none"], message: "only a multiple-choice slot (multiple: true) has a none value" });
      else if (!(slot.values ?? []).includes(slot.none)) ctx.addIssue({ code: "custom", path: ["none"], message: `"${slot.none}" is not one of the slot's values` });
    }
  });
export type SlotDefinition = z.output<typeof SlotDefinitionSchema>;

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A test on a slot: a scalar shorthand means `equals`. */
const SlotTestSchema = z.union([
  ScalarSchema.transform((equals) => ({ equals })),
  z
    .object({ set: z.boolean().optional(), equals: ScalarSchema.optional(), in: z.array(ScalarSchema).optional() })
    .strict(),
]);
export interface SlotTest {
  set?: boolean | undefined;
  equals?: string | number | boolean | undefined;
  in?: Array<string | number | boolean> | undefined;
}

/** All given tests must hold. */
export const ConditionSchema = z
  .object({
    slots: z.record(BotNameSchema, SlotTestSchema).optional(),
    /** Entities present in this message. */
    entities: z.array(BotNameSchema).optional(),
    /** The message contains any of these (case-insensitive, whitespace-normalised). */
    textContains: z.array(z.string().min(1)).optional(),
    /** The message matches this regex (case-insensitive). */
    textMatches: RegexSchema.optional(),
    /**
     * Fields of the signed-in user's profile (`finance.horizon: { set: true }`), as the conversation
     * read it; each must be in the bot's `profile.read`. For an anonymous user no field is set.
     */
    profile: z.partialRecord(ProfileFieldSchema, SlotTestSchema).optional(),
  })
  .strict();
export type Condition = z.output<typeof ConditionSchema>;

/**
 * What the bot does, in this order: clear slots, set slots, recall remembered slots, say responses,
 * run an action (which says its own response), start a form, and remember a human offer.
 */
const StepFields = {
  when: ConditionSchema.optional(),
  clearSlots: z.union([z.literal("all"), z.array(BotNameSchema)]).optional(),
  setSlots: z.record(BotNameSchema, SlotValueSchema).optional(),
  /**
   * Remembered slots (`remember:`) filled with the signed-in user's answer from their profile, where
   * it holds one: after they confirmed it in one question ("Still saving 20,000 for a house?"), a
   * form takes them without offering each back. Nothing for an anonymous user.
   */
  recall: z.array(BotNameSchema).optional(),
  response: BotNameSchema.optional(),
  responses: z.array(BotNameSchema).optional(),
  action: BotNameSchema.optional(),
  form: BotNameSchema.optional(),
  /** The step's response offers a person ("Shall I connect you?"): a yes next turn hands off. */
  offerHuman: z.boolean().optional(),
};
export const StepSchema = z.object(StepFields).strict();
export type Step = z.output<typeof StepSchema>;

export const RuleSchema = z
  .object({
    /** An intent, a list of intents, or `"*"` for any intent (including out_of_scope). */
    intent: z.union([z.literal("*"), BotNameSchema, z.array(BotNameSchema).min(1)]),
    /**
     * Continue rules are checked first on every turn, even during a form; each match adds its
     * replies before the turn's normal answer (e.g. emergency advice).
     */
    continue: z.boolean().default(false),
    /**
     * Inside a form: `always` — the rule interrupts any form, even one that is not `interruptible`,
     * whatever the intent's confidence (a continue rule: the form does not take the message as an
     * answer), and the form then resumes; `never` — the rule never interrupts a form (the message is
     * taken as an answer to the form's question). Default: it interrupts an interruptible form when
     * the intent is confident enough (`digressions.minConfidence`).
     */
    interrupt: z.enum(["always", "never"]).optional(),
    ...StepFields,
  })
  .strict();
export type Rule = z.output<typeof RuleSchema>;

export const FormSlotSchema = z
  .object({
    slot: BotNameSchema,
    /** Response that asks for the slot. */
    ask: BotNameSchema,
    /** Response after an invalid answer (it should say why and ask again); default: `ask`. */
    invalid: BotNameSchema.optional(),
    /**
     * For an enum slot with free-words `examples`: asks whether an answer the bot is unsure of meant
     * a value ("That sounds like “{return_reason}” — right?"; the slot renders as the value being
     * checked). Default: the platform's sentence for the language.
     */
    confirm: BotNameSchema.optional(),
    validate: z
      .object({
        regex: RegexSchema.optional(),
        enum: z.array(z.string().min(1)).optional(),
        /** The value must come from this NLU entity in the answer. */
        entity: BotNameSchema.optional(),
        min: z.number().optional(),
        max: z.number().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type FormSlot = z.output<typeof FormSlotSchema>;

export const FormSchema = z
  .object({
    slots: z.array(FormSlotSchema).min(1),
    /** When every slot is filled: the first step whose `when` holds runs. */
    then: z.array(StepSchema).min(1),
    cancel: z
      .object({
        /** Intents that abandon the form (unless the answer fills a slot). */
        intents: z.array(BotNameSchema).default([]),
        /** Whole messages that abandon the form ("cancel", "算了"). */
        words: z.array(z.string().min(1)).default([]),
        response: BotNameSchema,
      })
      .strict()
      .optional(),
    /** Said when the user changes a slot they already gave ("actually it's ORD-…"). */
    corrected: BotNameSchema.optional(),
    /** Invalid answers in a row before the form gives up and offers a human. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /**
     * false: no side question or other request interrupts this form (only rules marked
     * `interrupt: always`, and a request for a person); the message is taken as an answer.
     */
    interruptible: z.boolean().default(true),
    /**
     * Said in front of the form's question when it resumes after a side question ("Back to your
     * return:"). Default: the bot's `digressions.resume`, else the platform's sentence for the language.
     */
    resume: BotNameSchema.optional(),
  })
  .strict();
export type Form = z.output<typeof FormSchema>;

/** How the bot treats side questions and other requests inside a form (docs/bots.md, "Digressions"). */
export const DigressionsSchema = z
  .object({
    /**
     * The NLU confidence an intent needs to interrupt a form (rules marked `interrupt: always` need
     * none). Below it, the message is taken as an answer to the form's question.
     */
    minConfidence: z.number().min(0).max(1).default(0.8),
    /** Said in front of a form's question when it resumes (a form's own `resume` comes first). */
    resume: BotNameSchema.optional(),
  })
  .strict();
export type Digressions = z.output<typeof DigressionsSchema>;

/** Which HTTP outcome picks a response. Without `status`, only 2xx answers match. */
export const ActionOutcomeSchema = z
  .object({
    status: z.union([z.number().int(), z.array(z.number().int())]).optional(),
    /** JSON path into the answer (`status`, `$.shipping.carrier`, `items[0].name`). */
    path: z.string().min(1).optional(),
    equals: ScalarSchema.optional(),
    in: z.array(ScalarSchema).optional(),
    exists: z.boolean().optional(),
  })
  .strict();
export type ActionOutcome = z.output<typeof ActionOutcomeSchema>;

/**
 * A Worker var a bot's actions may read as `{env.NAME}`. Never one the platform reads itself
 * (shared/env.ts): those are its secrets and settings, so a compiled bot can never carry one.
 */
export const BotEnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env names are letters, digits and _ (not starting with a digit)")
  .superRefine((name, ctx) => {
    if (!isPlatformEnvName(name)) return;
    const reserved = [...PLATFORM_ENV_NAMES, ...PLATFORM_ENV_PREFIXES.map((prefix) => `${prefix}*`)].join(", ");
    ctx.addIssue({ code: "custom", message: `"${name}" is a platform setting, which no bot may read (reserved: ${reserved})` });
  });

export const ActionSchema = z
  .object({
    type: z.literal("http").default("http"),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
    /** Template: `{env.ORDER_API_URL}/orders/{order_id}` (slot values are URL-encoded). */
    url: z.string().min(1),
    /** Templates; `{env.NAME}` reads a var the bot declares in `env`. A header that renders empty is not sent. */
    headers: z.record(z.string(), z.string()).default({}),
    /** JSON template: a string that is exactly `{slot}` keeps the slot's type. */
    body: z.json().optional(),
    timeoutMs: z.number().int().min(50).max(30_000).default(5000),
    /** Extra attempts after a network error, timeout or 5xx. */
    retries: z.number().int().min(0).max(3).default(0),
    /** slot ← JSON path, saved from a 2xx answer before a response is chosen. */
    save: z.record(BotNameSchema, z.string().min(1)).default({}),
    /** First matching outcome picks the response. */
    responses: z
      .array(
        z
          .object({
            when: ActionOutcomeSchema.optional(),
            response: BotNameSchema,
            /** slot ← JSON path from this answer (also non-2xx: a 409 body may say why). */
            save: z.record(BotNameSchema, z.string().min(1)).optional(),
            /** Forget slots, e.g. an order number the backend does not know. */
            clearSlots: z.array(BotNameSchema).optional(),
            /**
             * Then start this form (after the response): e.g. ask for proof that an order is the
             * user's when the backend answers that it needs it. A form whose slots are all filled
             * completes at once and runs its `then` — how a request goes on after the proof.
             */
            form: BotNameSchema.optional(),
          })
          .strict(),
      )
      .default([]),
    /** Timeout, network error, bad JSON, or an answer no outcome matched (404, 5xx …). */
    onError: BotNameSchema,
  })
  .strict();
export type Action = z.output<typeof ActionSchema>;

const FaqLocaleEntrySchema = z
  .object({
    questions: z.array(z.string().min(1)).min(1),
    answer: z.string().min(1),
    quickReplies: QuickRepliesSchema.optional(),
  })
  .strict();

/** One FAQ entry: its id, and its questions and answer per locale (`{ id, en: {…}, es: {…} }`). */
export const FaqEntrySchema = z.strictObject(
  {
    id: BotNameSchema,
    ...(Object.fromEntries(LOCALES.map((locale) => [locale, FaqLocaleEntrySchema.optional()])) as {
      [L in Locale]: z.ZodOptional<typeof FaqLocaleEntrySchema>;
    }),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key ${issue.keys.map((key) => JSON.stringify(key)).join(", ")} (an entry has an id and one entry per locale: ${LOCALES.join(", ")})`
        : undefined,
  },
);
export type FaqEntry = z.output<typeof FaqEntrySchema>;

/** `bots/<id>/faq.yaml`. */
export const FaqSchema = z
  .object({
    /** Minimum retrieval confidence (0–1) to answer from the FAQ. */
    threshold: z.number().min(0).max(1).default(0.45),
    entries: z.array(FaqEntrySchema).default([]),
  })
  .strict();
export type Faq = z.output<typeof FaqSchema>;

export const FallbackSchema = z
  .object({
    /** Asks the user to rephrase. */
    rephrase: BotNameSchema,
    /** Offers a human (after `offerHumanAfter` misses in a row); affirm → handoff. */
    offerHuman: BotNameSchema,
    offerHumanAfter: z.number().int().min(1).default(2),
    /** The user declined the offer. */
    declined: BotNameSchema,
    /**
     * Said when the platform itself cannot answer a turn (every attempt failed). The conversation
     * object says it without the dialogue engine, so it may not use `{variables}`. Without it the
     * platform's own sentence is used.
     */
    unavailable: BotNameSchema.optional(),
  })
  .strict();

export const HandoffSchema = z
  .object({
    /** Intents that hand the conversation to a human at any time, even in a form. */
    intents: z.array(BotNameSchema).default(["human_handoff"]),
    response: BotNameSchema,
  })
  .strict();

export const LlmSchema = z
  .object({
    /** The LLM fallback also needs LLM_BASE_URL, LLM_API_KEY and LLM_MODEL in the environment. */
    enabled: z.boolean().default(true),
    /** Per-locale instructions added to the system prompt. */
    instructions: localeMap(z.string()).optional(),
    faqContext: z.number().int().min(0).max(10).default(3),
    timeoutMs: z.number().int().min(100).max(60_000).default(8000),
  })
  .strict();

/**
 * What the bot does with signed-in users' profiles (shared/schemas/profile.ts): the purposes it
 * serves, the fields it reads (templates and conditions see them as `profile.<field>`) and writes
 * (remembered slots), as fields or `<category>.*`. A bot may only name fields collected for a
 * purpose it declares, so a shop declaring `service` and `personalisation` cannot read health facts.
 */
export const BotProfileSchema = z
  .object({
    purposes: z.array(ProfilePurposeSchema).min(1),
    read: z.array(ProfileFieldPatternSchema).default([]),
    write: z.array(ProfileFieldPatternSchema).default([]),
    /**
     * For each special-category purpose whose fields the bot writes (finance, health): the response
     * that asks the user for consent (a yes/no question) before such a fact is stored.
     */
    consent: z.partialRecord(ProfilePurposeSchema, BotNameSchema).default({}),
  })
  .strict();
export type BotProfile = z.output<typeof BotProfileSchema>;

/** Marks NLU entity types whose values are personal: masked wherever text is kept (shared/redaction/). */
export const BotRedactionSchema = z
  .object({ entities: z.array(BotNameSchema).default([]) })
  .strict();

const BotLocaleListSchema = z.array(LocaleSchema).min(1);

/**
 * The languages a bot speaks, as `npm run train` reads them from bot.yaml on its own (the NLU model
 * detects a message's locale among these and falls back to the first, the default).
 */
export const BotLocalesSchema = z
  .looseObject({ locales: BotLocaleListSchema, defaultLocale: LocaleSchema })
  .refine((bot) => bot.locales.includes(bot.defaultLocale), { path: ["defaultLocale"], message: "the default locale is not in locales" })
  .transform((bot): Locale[] => [bot.defaultLocale, ...bot.locales.filter((locale) => locale !== bot.defaultLocale)]);

export const BotDefinitionSchema = z
  .object({
    id: BotIdSchema,
    name: z.string().min(1),
    description: z.string().optional(),
    locales: BotLocaleListSchema,
    defaultLocale: LocaleSchema,
    /** Intents meaning yes / no (fill boolean form slots, accept a human offer). */
    affirmIntents: z.array(BotNameSchema).default(["affirm"]),
    denyIntents: z.array(BotNameSchema).default(["deny"]),
    /** Said once per conversation, before the first answer (e.g. "not financial advice"). */
    disclaimer: BotNameSchema.optional(),
    responses: z.record(BotNameSchema, ResponseSchema),
    slots: z.record(BotNameSchema, SlotDefinitionSchema).default({}),
    rules: z.array(RuleSchema).default([]),
    forms: z.record(BotNameSchema, FormSchema).default({}),
    digressions: DigressionsSchema.default({ minConfidence: 0.8 }),
    /** The Worker vars this bot's actions may read as `{env.NAME}`; no other var is visible to it. */
    env: z.array(BotEnvNameSchema).default([]),
    actions: z.record(BotNameSchema, ActionSchema).default({}),
    faq: FaqSchema.optional(),
    /** Answers from the bot's documents (docs/knowledge.md): the folder, links, the confidence to answer. */
    knowledge: KnowledgeSettingsSchema.optional(),
    fallback: FallbackSchema,
    handoff: HandoffSchema,
    llm: LlmSchema.optional(),
    /** Keeps the bot's conversations in a Durable Objects jurisdiction (e.g. `eu`): docs/bots.md, "Data residency". */
    residency: ResidencySchema.optional(),
    /** What the bot's analytics keep beyond counts (shared/schemas/analytics.ts). */
    analytics: BotAnalyticsSettingsSchema.default({ keepUnrecognisedText: false }),
    /** Signed-in users' profiles: what this bot reads and writes, for which purposes. */
    profile: BotProfileSchema.optional(),
    /** Entity types whose values are masked in stored text (with the slots marked `sensitive`). */
    redaction: BotRedactionSchema.optional(),
  })
  .strict()
  .superRefine((bot, ctx) => {
    checkProfileDeclaration(bot, ctx);
    if (!bot.locales.includes(bot.defaultLocale)) {
      ctx.addIssue({ code: "custom", path: ["defaultLocale"], message: `"${bot.defaultLocale}" is not in locales` });
    }
    const unavailable = bot.fallback.unavailable;
    if (unavailable !== undefined) {
      const response = bot.responses[unavailable];
      const path = ["fallback", "unavailable"];
      if (!response) ctx.addIssue({ code: "custom", path, message: `unknown response "${unavailable}"` });
      else if (Object.values(response).some((localized) => localized?.text.some((text) => /\{[A-Za-z][\w.-]*\}/.test(text)))) {
        ctx.addIssue({ code: "custom", path, message: `"${unavailable}" is said without the dialogue engine: it cannot use {variables}` });
      }
    }
  });
export type BotDefinition = z.output<typeof BotDefinitionSchema>;

/**
 * The profile declaration holds together: every field read or written serves a declared purpose,
 * every remembered slot writes a declared field of its own type, and a special category written
 * has its consent question.
 */
function checkProfileDeclaration(
  bot: Pick<BotDefinition, "profile" | "slots" | "responses" | "rules" | "forms">,
  ctx: z.RefinementCtx,
): void {
  const profile = bot.profile;
  // Slots whose `remember` names a known field (an unknown one has its own issue).
  const remembered = Object.entries(bot.slots).filter(([, slot]) => rememberedField(slot) !== undefined);
  if (profile === undefined) {
    for (const [name] of remembered) {
      ctx.addIssue({ code: "custom", path: ["slots", name, "remember"], message: "a remembered slot needs the bot's `profile` declaration (purposes, write)" });
    }
    for (const { path, field } of profileReferences(bot)) {
      ctx.addIssue({ code: "custom", path, message: `"profile.${field}" needs the bot's \`profile\` declaration (purposes, read)` });
    }
    return;
  }
  for (const access of ["read", "write"] as const) {
    profile[access].forEach((pattern, index) => {
      for (const field of expandFieldPatterns([pattern])) {
        const { purpose } = PROFILE_FIELDS[field];
        if (!profile.purposes.includes(purpose)) {
          ctx.addIssue({
            code: "custom",
            path: ["profile", access, index],
            message: `"${field}" is collected for ${purpose}, which this bot does not declare in profile.purposes (${profile.purposes.join(", ")})`,
          });
          break;
        }
      }
    });
  }
  const readable = new Set<string>(expandFieldPatterns(profile.read));
  for (const { path, field } of profileReferences(bot)) {
    if (!readable.has(field)) ctx.addIssue({ code: "custom", path, message: `"profile.${field}" is not in profile.read` });
  }
  const writable = new Set(expandFieldPatterns(profile.write));
  for (const [name, slot] of remembered) {
    const field = rememberedField(slot);
    if (field === undefined) continue;
    const path = ["slots", name, "remember"];
    if (!writable.has(field)) ctx.addIssue({ code: "custom", path, message: `"${field}" is not in profile.write` });
    const fieldType = PROFILE_FIELDS[field].type;
    if (!SLOT_TYPES_OF_FIELD[fieldType].includes(slot.type)) {
      ctx.addIssue({ code: "custom", path, message: `a ${slot.type} slot cannot be remembered in "${field}", which holds ${fieldType}` });
    }
  }
  const writtenSpecialPurposes = new Set([...writable].map((field) => PROFILE_FIELDS[field].purpose).filter((purpose) => SPECIAL_PURPOSES.includes(purpose)));
  for (const purpose of writtenSpecialPurposes) {
    const response = profile.consent[purpose];
    if (response === undefined) {
      ctx.addIssue({ code: "custom", path: ["profile", "consent"], message: `the bot writes ${purpose} facts: profile.consent.${purpose} must name the response that asks for consent` });
    } else if (!(response in bot.responses)) {
      ctx.addIssue({ code: "custom", path: ["profile", "consent", purpose], message: `unknown response "${response}"` });
    }
  }
}

/** `{profile.<category>.<field>}` in a response text (the engine's template variables). */
const PROFILE_VARIABLE = /\{profile\.([a-z_]{1,32}\.[a-z_]{1,32})\}/g;

/** Every profile field the bot's responses and conditions read, with where. */
function profileReferences(bot: Pick<BotDefinition, "responses" | "rules" | "forms">): { path: (string | number)[]; field: string }[] {
  const references: { path: (string | number)[]; field: string }[] = [];
  for (const [name, response] of Object.entries(bot.responses)) {
    for (const [locale, localized] of Object.entries(response)) {
      for (const text of localized?.text ?? []) for (const match of text.matchAll(PROFILE_VARIABLE)) references.push({ path: ["responses", name, locale], field: match[1] ?? "" });
    }
  }
  const conditions: { path: (string | number)[]; condition: Condition | undefined }[] = [
    ...bot.rules.map((rule, i) => ({ path: ["rules", i, "when"], condition: rule.when })),
    ...Object.entries(bot.forms).flatMap(([name, form]) => form.then.map((step, i) => ({ path: ["forms", name, "then", i, "when"], condition: step.when }))),
  ];
  for (const { path, condition } of conditions) for (const field of Object.keys(condition?.profile ?? {})) references.push({ path: [...path, "profile", field], field });
  return references;
}

/** `generated/bots.json`. */
export const CompiledBotsSchema = z.object({
  defaultBot: BotIdSchema,
  bots: z.record(BotIdSchema, z.unknown()),
});
