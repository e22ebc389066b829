/**
 * A bot's NLU holdout set: `bots/<botId>/nlu-holdout.yaml` — paraphrases that are NOT in nlu.yaml,
 * used to measure how well the trained model generalises (workers/intent/test/bot-generalisation.test.ts,
 * bench/bots-nlu.ts). Never copy these texts into nlu.yaml: the set must stay unseen.
 *
 * ```yaml
 * version: 1
 * intents:
 *   order_status:
 *     en:
 *       - "wheres my parcel"
 *       - text: "track ORD-5551234 pls"
 *         entities: { order_id: ORD-5551234 }   # expected entity values (canonical, as parse() reports them)
 *     zh: ["快递到哪了"]
 * ```
 */
import { z } from "zod";
import { describeFileIssues } from "../zod-issues.ts";
import { localeEntries } from "../languages/index.ts";
import { type Locale, localeMap } from "./nlu.ts";
import { NameSchema } from "./training.ts";

export const HOLDOUT_FILE_VERSION = 1;

const HoldoutTextSchema = z.string().trim().min(1, "empty example").max(1000, "example longer than 1000 characters");

export const HoldoutExampleSchema = z.union([
  HoldoutTextSchema,
  z
    .object({
      text: HoldoutTextSchema,
      /** Entity name → expected canonical value (a number for built-in `number`). */
      entities: z.record(NameSchema, z.union([z.string().min(1), z.number()])).optional(),
    })
    .strict(),
]);

const HoldoutByLocaleSchema = localeMap(z.array(HoldoutExampleSchema));

export const HoldoutFileSchema = z
  .object({
    version: z.literal(HOLDOUT_FILE_VERSION),
    intents: z
      .record(NameSchema, HoldoutByLocaleSchema)
      .refine((intents) => Object.keys(intents).length > 0, { message: "at least one intent is needed" }),
  })
  .strict();

export type HoldoutFile = z.infer<typeof HoldoutFileSchema>;
export type HoldoutLocale = Locale;

/** One holdout case, flattened. */
export interface HoldoutCase {
  intent: string;
  locale: HoldoutLocale;
  text: string;
  entities: Record<string, string | number>;
}

/** Throws one Error listing every problem as `file: path: message`. */
export function validateHoldout(data: unknown, fileName: string): HoldoutFile {
  const result = HoldoutFileSchema.safeParse(data);
  if (result.success) return result.data;
  throw new Error(describeFileIssues(result.error, fileName));
}

export function holdoutCases(file: HoldoutFile): HoldoutCase[] {
  const cases: HoldoutCase[] = [];
  for (const [intent, byLocale] of Object.entries(file.intents)) {
    for (const [locale, examples] of localeEntries(byLocale)) {
      for (const example of examples) {
        if (typeof example === "string") cases.push({ intent, locale, text: example, entities: {} });
        else cases.push({ intent, locale, text: example.text, entities: example.entities ?? {} });
      }
    }
  }
  return cases;
}
