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
import { LOCALES } from "../languages/index.ts";
import { type Locale, LocaleSchema, localeMap } from "./nlu.ts";
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

/** What every shorthand of a localized response normalises to. */
interface NormalizedText {
  text: string[];
  quickReplies?: string[] | undefined;
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
    })
    .strict(),
]);
export type LocalizedResponse = z.output<typeof LocalizedResponseSchema>;

/** A response: one entry per locale the bot speaks (`npm run validate` checks every declared locale is there). */
export const ResponseSchema = localeMap(LocalizedResponseSchema);
export type BotResponse = z.output<typeof ResponseSchema>;

export const SlotTypeSchema = z.enum(["text", "number", "money", "date", "enum", "boolean"]);
export type SlotType = z.infer<typeof SlotTypeSchema>;

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
  })
  .strict()
  .superRefine((slot, ctx) => {
    if (slot.type === "enum" && (slot.values?.length ?? 0) === 0) {
      ctx.addIssue({ code: "custom", path: ["values"], message: "an enum slot needs values" });
    }
    for (const value of Object.keys(slot.synonyms ?? {})) {
      if (!(slot.values ?? []).includes(value)) {
        ctx.addIssue({ code: "custom", path: ["synonyms", value], message: `"${value}" is not one of the slot's values` });
      }
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
  })
  .strict();
export type Condition = z.output<typeof ConditionSchema>;

/**
 * What the bot does, in this order: clear slots, set slots, say responses, run an action
 * (which says its own response), start a form, and remember a human offer.
 */
const StepFields = {
  when: ConditionSchema.optional(),
  clearSlots: z.union([z.literal("all"), z.array(BotNameSchema)]).optional(),
  setSlots: z.record(BotNameSchema, SlotValueSchema).optional(),
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
  })
  .strict();
export type Form = z.output<typeof FormSchema>;

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
    /** The Worker vars this bot's actions may read as `{env.NAME}`; no other var is visible to it. */
    env: z.array(BotEnvNameSchema).default([]),
    actions: z.record(BotNameSchema, ActionSchema).default({}),
    faq: FaqSchema.optional(),
    fallback: FallbackSchema,
    handoff: HandoffSchema,
    llm: LlmSchema.optional(),
    /** Keeps the bot's conversations in a Durable Objects jurisdiction (e.g. `eu`): docs/bots.md, "Data residency". */
    residency: ResidencySchema.optional(),
    /** What the bot's analytics keep beyond counts (shared/schemas/analytics.ts). */
    analytics: BotAnalyticsSettingsSchema.default({ keepUnrecognisedText: false }),
  })
  .strict()
  .superRefine((bot, ctx) => {
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

/** `generated/bots.json`. */
export const CompiledBotsSchema = z.object({
  defaultBot: BotIdSchema,
  bots: z.record(BotIdSchema, z.unknown()),
});
