import { z } from "zod";
import { LocaleSchema } from "../../../../shared/schemas/nlu.ts";

export const ARTIFACT_FORMAT = "stratus-nlu";
/** 2: locales from the language data, the bot's default first, and the locale detector's profile. */
export const ARTIFACT_VERSION = 2;

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64");

/**
 * The trained model as JSON (what `train` returns and `generated/models.json` holds per bot).
 * Large arrays are base64 typed arrays; weights are int8 with one float scale per class/tag.
 */
export const ModelArtifactSchema = z
  .object({
    format: z.literal(ARTIFACT_FORMAT),
    version: z.literal(ARTIFACT_VERSION),
    threshold: z.number().min(0).max(1),
    /** The bot's locales, its default first: the locale detector chooses among them. */
    locales: z.tuple([LocaleSchema], LocaleSchema),
    intents: z.array(z.string().min(1)).min(1),
    classifier: z.object({
      /** Hashed ids of every training feature, ascending (uint32). */
      featureIds: Base64Schema,
      /** idf × group weight of each feature, uint8 codes × featureWeightScale. */
      featureWeightCodes: Base64Schema,
      featureWeightScale: z.number().positive(),
      /** Index (into featureIds) of each feature that has a weight row, ascending (uint32). */
      rows: Base64Schema,
      /** int8 [rows × intents]. */
      weights: Base64Schema,
      scales: z.array(z.number()),
      bias: z.array(z.number()),
      /** Softmax temperature from cross-validation (confidence calibration). */
      temperature: z.number().positive(),
    }),
    entities: z.object({
      regexes: z.array(z.object({ entity: z.string().min(1), pattern: z.string().min(1) })),
      lookups: z.array(
        z.object({ entity: z.string().min(1), phrase: z.string().min(1), value: z.string(), locale: z.union([LocaleSchema, z.literal("any")]) }),
      ),
      synonyms: z.record(z.string(), z.record(z.string(), z.string())),
    }),
    tagger: z
      .object({
        entityTypes: z.array(z.string().min(1)).min(1),
        /** Hashed feature ids with a weight row, ascending (uint32). */
        featureIds: Base64Schema,
        /** int8 [features × tags], tags = O, B-/I- per entity type. */
        weights: Base64Schema,
        scales: z.array(z.number()),
        /** [(tags + 1) × tags] floats; the last row scores starting a sentence. */
        transitions: z.array(z.number()),
        /** What the training spans of each type looked like; tagged spans unlike them are dropped. */
        spanRules: z.array(z.object({ requiresLetter: z.boolean(), edgePunctuation: z.boolean() })),
      })
      .nullable(),
    /**
     * The two-character Han words the bot knows (its examples', lookup names' and synonyms' runs),
     * concatenated: what the homophone repair reads a mistyped character as (homophones.ts). Absent
     * in models trained before it, or without Chinese.
     */
    hanBigrams: z
      .string()
      .regex(/^(?:\p{Script=Han}\p{Script=Han})*$/u, "not pairs of Han characters")
      .optional(),
    /**
     * Character n-gram profile of the locales that share a script (shared/languages/detect.ts): per
     * locale, PROFILE_BUCKETS uint8 codes (concatenated in `locales` order), log-probability = base + code × scale.
     */
    languageProfile: z
      .object({
        locales: z.array(LocaleSchema).min(2),
        base: z.array(z.number()),
        scale: z.array(z.number().nonnegative()),
        codes: Base64Schema,
      })
      .nullable(),
  })
  .strict();

export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;
