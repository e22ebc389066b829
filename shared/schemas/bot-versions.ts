/**
 * Published bot versions (issue #20, docs/bot-versions.md): the document `PUT /v1/bots/{bot}` takes
 * and `GET /v1/bots/{bot}/versions/{version}` returns, the answers of the bot-versions API (which
 * `npx stratus push` and `npx stratus release` read), and what the bot registry stores.
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
 * documents:                                               # bots/shop/<knowledge.folder>/**, when bot.yaml names one
 *   en/shipping.md: "# Shipping\n…"
 * ```
 *
 * Only the outer shape is checked here; the files' contents are checked as `npm run validate`
 * checks a folder (shared/bots/bot-document.ts).
 */
import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { LocaleSchema } from "./nlu.ts";
import { ProfileAccessSchema } from "./profile.ts";

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

/** generated/bot-documents.json (`npm run build:bots`): each bot the deployment was built with as a document — its version 1. */
export const BuiltInBotDocumentsSchema = z.record(BotIdSchema, z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), document: BotDocumentSchema }));
export type BuiltInBotDocuments = z.infer<typeof BuiltInBotDocumentsSchema>;

/** The media type `PUT /v1/bots/{bot}` is sent with by the CLI (application/json is the other form). */
export const BOT_DOCUMENT_MEDIA_TYPE = "application/yaml";
/** The largest document `PUT /v1/bots/{bot}` takes (the example bots are 60–230 KB). */
export const MAX_BOT_DOCUMENT_BYTES = 2 * 1024 * 1024;

/** A version's number: 1 is the bot the deployment was built with; each publish of new content takes the next. */
export const BotVersionNumberSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A version's content hash: SHA-256 (hex) of its document as canonical JSON. */
export const ContentHashSchema = z.string().regex(/^[0-9a-f]{64}$/, "a content hash is 64 lowercase hex digits");

/** A version as a client names it: its number, or its content hash. */
export const BotVersionSchema = z.union([BotVersionNumberSchema, ContentHashSchema]);
export type BotVersion = z.infer<typeof BotVersionSchema>;

/** `POST /v1/conversations/{id}/migrate`: the version of the conversation's bot its next turns run on. */
export const MigrateConversationBodySchema = z.strictObject({ version: BotVersionSchema });

/** `200` of `POST /v1/conversations/{id}/migrate`. */
export const MigratedConversationSchema = z.object({
  id: z.string(),
  bot: BotIdSchema,
  botVersion: BotVersionNumberSchema,
  /** The version it ran on before. */
  previousVersion: BotVersionNumberSchema,
});
export type MigratedConversation = z.infer<typeof MigratedConversationSchema>;

/** `PUT /v1/bots/{bot}?note=…`. */
export const PublishQuerySchema = z.strictObject({
  /** Kept with the version: who changed what, and why. */
  note: z.string().min(1).max(500).optional(),
});

/** `201` (a new version) or `200` (a version already holds this document) of `PUT /v1/bots/{bot}`. */
export const PublishedBotSchema = z.object({
  bot: BotIdSchema,
  version: BotVersionNumberSchema,
  hash: ContentHashSchema,
  /** False: the document is the one `version` already holds; nothing was stored. */
  created: z.boolean(),
  /** Bytes the version's stored parts take (compressed); 0 for the built-in version. */
  storedBytes: z.number().int().nonnegative(),
  /** How long checking, training and storing took (ms); training alone in `trainingMs`. */
  publishMs: z.number().nonnegative(),
  trainingMs: z.number().nonnegative(),
});
export type PublishedBot = z.infer<typeof PublishedBotSchema>;

/** A canary: this share of new conversations (by a stable hash of their id) starts on `version`. */
export const CanarySchema = z.object({ version: BotVersionNumberSchema, percent: z.number().min(0).max(100) });
export type Canary = z.infer<typeof CanarySchema>;

/** Which version new conversations start on. */
export const ReleaseStateSchema = z.object({
  current: BotVersionNumberSchema,
  canary: CanarySchema.nullable(),
});
export type ReleaseState = z.infer<typeof ReleaseStateSchema>;

/**
 * The registry's answer to "which version does a new conversation start on" (RPC): the release, with
 * the profile declaration (bot.yaml `profile`) of each published version it starts conversations on,
 * so a signed-in user's new conversation reads their profile as that version declares. A version
 * missing here is the built-in one, or one published before declarations were kept: the built-in
 * bot's declaration applies.
 */
export const ReleaseForNewConversationsSchema = ReleaseStateSchema.extend({
  profiles: z.record(z.string().regex(/^\d+$/), ProfileAccessSchema.nullable()).optional(),
});
export type ReleaseForNewConversations = z.infer<typeof ReleaseForNewConversationsSchema>;

/** A bot's release before any: every new conversation starts on the built-in version. */
export const BUILT_IN_RELEASE: ReleaseState = { current: 1, canary: null };

/** `POST /v1/bots/{bot}/release`: `{ version }` makes it current; with `percent`, a canary for that share of new conversations. */
export const ReleaseBodySchema = z.strictObject({
  version: BotVersionSchema,
  percent: z.number().min(0).max(100).optional(),
});
export type ReleaseBody = z.infer<typeof ReleaseBodySchema>;

/** `200` of `POST /v1/bots/{bot}/release`: the bot's release now. */
export const ReleasedSchema = ReleaseStateSchema.extend({ bot: BotIdSchema });

/** One version in `GET /v1/bots/{bot}/versions`. */
export const BotVersionInfoSchema = z.object({
  version: BotVersionNumberSchema,
  hash: ContentHashSchema,
  /** When it was published; null for the built-in version (it came with the deployment). */
  createdAt: z.iso.datetime().nullable(),
  /** The publisher's note (`?note=`); null without one. */
  note: z.string().nullable(),
  builtIn: z.boolean(),
  current: z.boolean(),
  /** The canary's share of new conversations when this version is the canary, else null. */
  canaryPercent: z.number().min(0).max(100).nullable(),
  /** Bytes its stored parts take (compressed); 0 for the built-in version. */
  storedBytes: z.number().int().nonnegative(),
});
export type BotVersionInfo = z.infer<typeof BotVersionInfoSchema>;

/** `GET /v1/bots/{bot}/versions`: newest first, with the release. */
export const BotVersionListSchema = ReleaseStateSchema.extend({
  bot: BotIdSchema,
  versions: z.array(BotVersionInfoSchema),
});
export type BotVersionList = z.infer<typeof BotVersionListSchema>;

/** Path parameters of the bot-versions routes. */
export const BotParamsSchema = z.object({ bot: BotIdSchema });

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

/**
 * What the bot registry keeps of each version, compressed (gzip), content-addressed by the hash:
 * the document as published (canonical JSON), what the dialogue Worker runs (the checked definition
 * and its documents' indexes) and what the intent Worker runs (the trained NLU model).
 */
export const VersionPartSchema = z.enum(["document", "dialogue", "model"]);

/**
 * A stored part is split into chunks of at most this many bytes: a row (and a value) of a Durable
 * Object's SQLite may hold at most 2 MB, and a compressed model of a large bot may pass that.
 */
export const PART_CHUNK_BYTES = 1024 * 1024;
export type VersionPart = z.infer<typeof VersionPartSchema>;

/** The dialogue Worker's part of a version: the definition as build:bots compiles it, and its documents' indexes. */
export const DialoguePartSchema = z.object({ definition: z.unknown(), knowledge: z.unknown().optional() });
export type DialoguePart = z.infer<typeof DialoguePartSchema>;

const BytesSchema = z.instanceof(Uint8Array);

/** Gateway → registry: a checked, compiled and trained version to store (RPC). */
export const PublishVersionSchema = z.object({
  hash: ContentHashSchema,
  note: z.string().max(500).nullable(),
  parts: z.object({ document: BytesSchema, dialogue: BytesSchema, model: BytesSchema }),
  /** What the version reads and writes of users' profiles (bot.yaml `profile`); null: nothing. */
  profile: ProfileAccessSchema.nullable(),
});
export type PublishVersion = z.infer<typeof PublishVersionSchema>;

/** A stored `versions` row of the registry. */
export const StoredVersionRowSchema = z.object({
  version: BotVersionNumberSchema,
  hash: ContentHashSchema,
  created_at: z.number().int().nonnegative(),
  note: z.string().nullable(),
  stored_bytes: z.number().int().nonnegative(),
});

/** A version as the registry lists it (the built-in version 1 is the gateway's to add). */
export interface PublishedVersion {
  version: number;
  hash: string;
  createdAt: string;
  note: string | null;
  storedBytes: number;
}

/** Gateway → intent Worker (RPC): train the NLU of a version being published. */
export const TrainModelRequestSchema = z.object({
  /** nlu.yaml, checked (TrainingDataSchema). */
  training: z.unknown(),
  /** The bot's locales, default first: what the model detects among. */
  locales: z.array(LocaleSchema).min(1),
});

/** Intent Worker → gateway: the trained model as the registry stores it (gzip of its JSON). */
export interface TrainedModel {
  model: Uint8Array;
  modelJsonBytes: number;
}
