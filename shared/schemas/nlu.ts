import { z } from "zod";
import { LOCALE_EVIDENCE, LOCALES } from "../languages/index.ts";

/**
 * A locale the platform knows: a key of LANGUAGES (shared/languages/languages.ts), where each
 * language is described as data. A conversation without a locale is detected per message.
 */
export const LocaleSchema = z.enum(LOCALES, {
  error: (issue) => `unknown locale ${JSON.stringify(issue.input)} (known: ${LOCALES.join(", ")})`,
});
export type Locale = z.infer<typeof LocaleSchema>;

/**
 * A map with one entry per locale, any subset of the known ones: `{ en: …, zh: … }`. A key that is
 * not a known locale is refused with the list of known ones.
 */
export function localeMap<Value extends z.ZodType>(value: Value) {
  return z.partialRecord(LocaleSchema, value, {
    // zod reports keys outside an enum as one "unrecognized_keys" issue of the record (its error
    // type does not list that code, hence the shape test).
    error: (issue) =>
      "keys" in issue && Array.isArray(issue.keys)
        ? `unknown locale ${issue.keys.map((key) => JSON.stringify(key)).join(", ")} (known: ${LOCALES.join(", ")})`
        : undefined,
  });
}

/**
 * How the NLU chose a result's locale: `given` by the conversation, `detected` from the text,
 * `ambiguous` (a best guess: the text was too short or mixed to tell two same-script locales apart,
 * e.g. "ok"), or `none` (no words of its own, e.g. "ORD-4820193" or "42": the bot's default locale).
 */
export const LocaleEvidenceSchema = z.enum(LOCALE_EVIDENCE);

/** Where an entity came from, so a bot author can see why a slot was filled. */
export const EntitySourceSchema = z.enum([
  "regex",
  "lookup",
  "number",
  "money",
  "datetime",
  "email",
  "phone",
  "tagger",
]);

/**
 * A number an entity may carry: finite and within ±Number.MAX_SAFE_INTEGER, so that it survives JSON,
 * arithmetic in actions and a backend's integer parsing ("I paid 1000…000 dollars" is not an amount).
 */
export const MAX_ENTITY_NUMBER = Number.MAX_SAFE_INTEGER;
export const EntityNumberSchema = z.number().min(-MAX_ENTITY_NUMBER).max(MAX_ENTITY_NUMBER);

/** Money is structured so that actions can send amount and currency separately. */
export const MoneyValueSchema = z.object({ amount: EntityNumberSchema, currency: z.string().length(3) });

export const EntityValueSchema = z.union([z.string(), EntityNumberSchema, MoneyValueSchema]);
export type EntityValue = z.infer<typeof EntityValueSchema>;

export const EntitySchema = z.object({
  entity: z.string().min(1),
  /** Canonical value: synonym-resolved string, number, ISO date/time, or money. */
  value: EntityValueSchema,
  /** UTF-16 offsets into the message text, end exclusive. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The characters of the message the entity was read from. */
  text: z.string(),
  source: EntitySourceSchema,
  confidence: z.number().min(0).max(1).optional(),
});
export type Entity = z.infer<typeof EntitySchema>;

export const IntentScoreSchema = z.object({
  name: z.string().min(1),
  confidence: z.number().min(0).max(1),
});
export type IntentScore = z.infer<typeof IntentScoreSchema>;

/** The intent name given when the best confidence is below the bot's threshold. */
export const OUT_OF_SCOPE = "out_of_scope";

export const NluResultSchema = z.object({
  /** Best intent, or `out_of_scope` when below the bot's threshold. */
  intent: IntentScoreSchema,
  /** Top intents, best first (the raw ranking, before the out-of-scope decision). */
  intents: z.array(IntentScoreSchema),
  entities: z.array(EntitySchema),
  /** The locale the text was understood in (given, or detected among the bot's locales). */
  locale: LocaleSchema,
  /** How `locale` was chosen (absent in results from before the field existed). */
  localeEvidence: LocaleEvidenceSchema.optional(),
  /**
   * When the message drops what the user was doing before asking something else ("never mind that,
   * what's Apple trading at?"): the best intent of the text after the drop phrase, classified alone
   * (shared/languages `dropPhrases`); absent otherwise.
   */
  afterDrop: IntentScoreSchema.optional(),
});
export type NluResult = z.infer<typeof NluResultSchema>;

/** What the NLU engine needs besides the text. */
export const NluContextSchema = z.object({
  /** Forces a locale; absent means detect it among the bot's locales from the text. */
  locale: LocaleSchema.optional(),
  /** IANA time zone that relative dates ("tomorrow", "明天") resolve in. */
  timezone: z.string().default("UTC"),
  /** The instant "now" means, ISO 8601; the turn's creation time, so results are reproducible. */
  now: z.iso.datetime({ offset: true }).optional(),
});
export type NluContext = z.input<typeof NluContextSchema>;
