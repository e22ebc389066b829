/**
 * Published bot versions (issue #20): the document `PUT /v1/bots/{bot}` takes and
 * `GET /v1/bots/{bot}/versions/{version}` returns, and the answers `npx stratus push` and
 * `npx stratus release` read.
 *
 * The document is a bot folder's files as one YAML (or JSON) document, each file's content under
 * its name, as data (comments are not kept):
 *
 * ```yaml
 * bot: { id: shop, name: Demo shop, locales: [en], … }     # bots/shop/bot.yaml
 * nlu: { version: 1, intents: { … } }                      # bots/shop/nlu.yaml
 * faq: { entries: [ … ] }                                  # bots/shop/faq.yaml, when the bot has one
 * tests:                                                   # bots/shop/tests/*.yaml, by file name
 *   orders: { tests: [ … ] }
 * ```
 *
 * Only the outer shape is checked here; the files' contents are checked as `npm run validate`
 * checks a folder (devkit/bots/load-bots.ts `checkBot`, devkit/bots/bot-document.ts).
 */
import { z } from "zod";

/** A conversation-test file's name without `.yaml`: what `tests/<name>.yaml` is written back as. */
export const TestFileNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "test file names are letters, digits, _ . - (no folders)");

const FileContentSchema = z.record(z.string(), z.unknown());

/** A document's path inside the bot's documents folder: `<locale>/…/<name>.md|.html`, no `..`, no absolute path. */
export const DocumentPathSchema = z
  .string()
  .max(300)
  .regex(/^[a-z]{2}(?:-[A-Za-z0-9]+)?\/[A-Za-z0-9 _.\/-]+\.(?:md|markdown|html?)$/, "a document path: <locale>/…/<name>.md or .html")
  .refine((path) => !path.split("/").some((part) => part === ".." || part === "."), "no . or .. segments");

export const BotDocumentSchema = z.strictObject({
  bot: FileContentSchema,
  nlu: FileContentSchema,
  faq: FileContentSchema.optional(),
  tests: z.record(TestFileNameSchema, z.unknown()).optional(),
  /**
   * The bot's documents (`knowledge.folder` in bot.yaml): each file's path inside that folder
   * (`en/shipping.md`) and its text. A document never names a path outside its folder.
   */
  documents: z.record(DocumentPathSchema, z.string().max(200_000)).optional(),
});
export type BotDocument = z.infer<typeof BotDocumentSchema>;

/** The media type `PUT /v1/bots/{bot}` is sent with by the CLI (application/json is the other form). */
export const BOT_DOCUMENT_MEDIA_TYPE = "application/yaml";

/** A published version's name as the server gives it (a number or a content hash). */
export const BotVersionSchema = z.union([z.string().min(1).max(128), z.number().int().positive()]);
export type BotVersion = z.infer<typeof BotVersionSchema>;

/** `201` of `PUT /v1/bots/{bot}`. */
export const PublishedBotSchema = z.looseObject({ version: BotVersionSchema });

/** `POST /v1/bots/{bot}/release`: `{ version }` makes it current; with `percent`, a canary for that share of new conversations. */
export const ReleaseBodySchema = z.strictObject({
  version: BotVersionSchema,
  percent: z.number().min(0).max(100).optional(),
});
export type ReleaseBody = z.infer<typeof ReleaseBodySchema>;

/** One problem of a refused bot: a line as `npm run validate` prints it, or an object with its message. */
export const BotProblemSchema = z.union([z.string(), z.looseObject({ message: z.string() })]);

/** An error answer of the bot-versions API; `problems` lists everything wrong with a refused bot (422). */
export const BotVersionsErrorSchema = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    problems: z.array(BotProblemSchema).optional(),
  }),
});
