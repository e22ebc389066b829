/**
 * A bot's NLU training data: `bots/<botId>/nlu.yaml`.
 *
 * Example (everything except `version` and `intents` is optional):
 *
 * ```yaml
 * version: 1
 * threshold: 0.5          # below this confidence the intent is `out_of_scope` (default 0.5)
 * intents:
 *   order_status:
 *     en:
 *       - "where is my order [ORD-4820193](order_id)"
 *       - "track my package"
 *     zh:
 *       - "我的订单[ORD-4820193](order_id)到哪了"
 *       - "查一下物流"
 *   buy_product:
 *     en: ["i want to buy [an iphone](product:iphone 15)"]   # [text](entity:canonical value)
 *     zh: ["我想买[耳机](product)"]
 *   out_of_scope:          # optional: examples of things the bot should NOT handle
 *     en: ["what's the meaning of life", "tell me a joke"]
 * entities:
 *   order_id:
 *     regex: ["\\bORD-\\d{6,10}\\b", "\\b\\d{8}\\b"]
 *   product:
 *     lookup:
 *       en: ["iphone 15", "airpods"]
 *       zh: ["耳机"]
 *     synonyms:            # canonical value: other ways of writing it
 *       "iphone 15": ["iphone15", "i phone 15"]
 * ```
 *
 * - Intents and lookups are keyed by locale (any locale in shared/languages/languages.ts). Every intent
 *   needs at least one example; give every locale the bot declares in bot.yaml (`npm run validate`
 *   checks that each declared locale has examples).
 * - `[text](entity)` / `[text](entity:canonical)` annotate an entity inside an example. The brackets are
 *   removed for intent training; annotated examples also train a sequence tagger for that entity, so it
 *   is found in messages even when not in a lookup list. Annotating ~10+ examples per entity helps.
 * - Built-in entities are always on, need no declaration: `number`, `money`, `datetime`, `email`, `phone`.
 * - An `out_of_scope` intent is optional: it is trained as a class like the others (useful for
 *   near-miss requests); the confidence threshold still applies to every intent.
 * - Regexes are JavaScript regular expressions (flag `u`; matched case-insensitively).
 */
import { z } from "zod";
import { describeFileIssues } from "../zod-issues.ts";
import { localeMap } from "./nlu.ts";

export { formatIssuePath } from "../zod-issues.ts";

export const TRAINING_FILE_VERSION = 1;
export const DEFAULT_THRESHOLD = 0.5;

/** Intent and entity names (also used by nlu-holdout.ts). */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const NameSchema = z.string().regex(NAME_PATTERN, "names are letters, digits, _ . - (starting with a letter)");

/** One annotated span parsed out of a training example. */
export interface AnnotatedSpan {
  entity: string;
  /** Canonical value if given as `[text](entity:value)`, else the span text. */
  value: string;
  /** UTF-16 offsets into the plain text (annotations removed), end exclusive. */
  start: number;
  end: number;
}

export interface AnnotatedExample {
  text: string;
  spans: AnnotatedSpan[];
}

const ANNOTATION = /\[([^\[\]]+)\]\(([^()]+)\)/g;

/**
 * `"where is [ORD-1](order_id)"` → `{ text: "where is ORD-1", spans: [...] }`.
 * Throws on malformed annotations (a lone `[` or `](` that is not a full annotation).
 */
export function parseAnnotatedExample(example: string): AnnotatedExample {
  const spans: AnnotatedSpan[] = [];
  let text = "";
  let last = 0;
  for (const match of example.matchAll(ANNOTATION)) {
    const [whole, spanText = "", target = ""] = match;
    text += example.slice(last, match.index);
    const colon = target.indexOf(":");
    const entity = (colon < 0 ? target : target.slice(0, colon)).trim();
    const canonical = colon < 0 ? spanText : target.slice(colon + 1).trim();
    if (!NAME_PATTERN.test(entity)) throw new Error(`bad entity name "${entity}" in annotation ${whole}`);
    if (canonical.length === 0) throw new Error(`empty canonical value in annotation ${whole}`);
    spans.push({ entity, value: canonical, start: text.length, end: text.length + spanText.length });
    text += spanText;
    last = match.index + whole.length;
  }
  text += example.slice(last);
  if (/\]\(/.test(text)) throw new Error(`malformed annotation (expected [text](entity)) in "${example}"`);
  return { text, spans };
}

const ExampleSchema = z
  .string()
  .trim()
  .min(1, "empty example")
  .max(1000, "example longer than 1000 characters")
  .superRefine((example, ctx) => {
    try {
      parseAnnotatedExample(example);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

const ExamplesByLocaleSchema = localeMap(z.array(ExampleSchema)).refine(
  (byLocale) => Object.values(byLocale).some((examples) => examples.length > 0),
  { message: "an intent needs at least one example (in any locale)" },
);

const RegexSourceSchema = z.string().min(1).superRefine((source, ctx) => {
  try {
    // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
    new RegExp(source, "giu");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `invalid regex: ${(error as Error).message}` });
  }
});

const LookupPhrasesSchema = z.array(z.string().trim().min(1));
const LookupSchema = z.union([LookupPhrasesSchema, localeMap(LookupPhrasesSchema)]);

const EntityDefinitionSchema = z
  .object({
    regex: z.array(RegexSourceSchema).optional(),
    /** A plain list applies to every locale. */
    lookup: LookupSchema.optional(),
    synonyms: z.record(z.string().trim().min(1), z.array(z.string().trim().min(1))).optional(),
  })
  .strict();

export const TrainingDataSchema = z
  .object({
    version: z.literal(TRAINING_FILE_VERSION),
    threshold: z.number().min(0).max(1).optional(),
    intents: z
      .record(NameSchema, ExamplesByLocaleSchema)
      .refine((intents) => Object.keys(intents).length > 0, { message: "at least one intent is needed" }),
    entities: z.record(NameSchema, EntityDefinitionSchema).optional(),
  })
  .strict();

export type TrainingData = z.infer<typeof TrainingDataSchema>;
export type EntityDefinition = z.infer<typeof EntityDefinitionSchema>;

/**
 * Validates parsed YAML; throws one Error listing every problem as `file: path: message`,
 * e.g. `bots/ecommerce/nlu.yaml: intents.order_status.en[3]: empty example`.
 */
export function validateTrainingData(data: unknown, fileName: string): TrainingData {
  const result = TrainingDataSchema.safeParse(data);
  if (result.success) return result.data;
  throw new Error(describeFileIssues(result.error, fileName));
}
