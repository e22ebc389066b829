/**
 * Users who come back: the signed-in user's id, the profile fields the platform knows, the rows the
 * user profile Durable Object stores (durable-objects/user-profile/) and the inputs of its RPC
 * methods. One place for all of it, so the gateway, the dialogue Worker and the object agree.
 *
 * Data protection in the shapes themselves:
 * - every field has a **category** (`contact`, `preferences`, `finance`, `health`); `finance` and
 *   `health` are special categories, stored only with the user's consent for the field's purpose;
 * - every field has one **purpose** it is collected for (purpose limitation): a bot declares the
 *   purposes it serves in bot.yaml and may read and write only fields of those purposes, so the shop
 *   (`service`, `personalisation`) cannot declare a health field at all;
 * - consent is recorded per purpose, as an append-only history of given / withdrawn with times.
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { ConversationIdSchema } from "./conversation.ts";
import { MoneyValueSchema } from "./nlu.ts";

/**
 * The signed-in user's id: the user token's `sub`. Visible ASCII, 1–128 characters: OpenID Connect
 * already limits `sub` to ASCII, and ASCII leaves no second spelling of one id (no Unicode
 * normalisation), so one user is always one profile object.
 */
export const UserSubjectSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, "a user id is 1-128 visible ASCII characters");
export type UserSubject = z.infer<typeof UserSubjectSchema>;

/**
 * A signed-in user as analytics and logs may name them: a keyed hash of the `sub` (HMAC with the
 * deployment's TOKEN_SECRET, shared/user-key.ts), never the `sub` itself. Erasure recomputes it.
 */
export const UserKeySchema = z.string().regex(/^[0-9a-f]{16}$/);
export type UserKey = z.infer<typeof UserKeySchema>;

/** What personal data is used for. A bot declares the purposes it serves; consent is given per purpose. */
export const PROFILE_PURPOSES = ["service", "personalisation", "financial_planning", "health_guidance"] as const;
export const ProfilePurposeSchema = z.enum(PROFILE_PURPOSES);
export type ProfilePurpose = z.infer<typeof ProfilePurposeSchema>;

/** Categories of fields; a special category is stored only with consent for the field's purpose. */
export const PROFILE_CATEGORIES = {
  contact: { special: false },
  preferences: { special: false },
  finance: { special: true },
  health: { special: true },
} as const satisfies Record<string, { special: boolean }>;
export type ProfileCategory = keyof typeof PROFILE_CATEGORIES;
export const PROFILE_CATEGORY_NAMES = Object.keys(PROFILE_CATEGORIES) as [ProfileCategory, ...ProfileCategory[]];

/** The kinds of value a field holds: a bot slot of the matching type can be remembered in it. */
export const ProfileValueTypeSchema = z.enum(["text", "number", "money", "date", "boolean"]);
export type ProfileValueType = z.infer<typeof ProfileValueTypeSchema>;

interface FieldDefinition {
  type: ProfileValueType;
  purpose: ProfilePurpose;
}

/**
 * Every field a profile can hold, named `<category>.<name>`. A new field is added here (with its
 * type and purpose), never invented by a bot: the catalogue is what export and erasure cover and
 * what a consent prompt can name.
 */
export const PROFILE_FIELDS = {
  "contact.name": { type: "text", purpose: "service" },
  "contact.email": { type: "text", purpose: "service" },
  "contact.phone": { type: "text", purpose: "service" },
  "contact.postcode": { type: "text", purpose: "service" },
  "preferences.language": { type: "text", purpose: "personalisation" },
  "preferences.interests": { type: "text", purpose: "personalisation" },
  "preferences.contact_channel": { type: "text", purpose: "personalisation" },
  /** Investment horizon in years. */
  "finance.horizon": { type: "number", purpose: "financial_planning" },
  /** What the user would do after a 20 % fall (sell all, sell some, hold, buy more). */
  "finance.drawdown_reaction": { type: "text", purpose: "financial_planning" },
  "finance.income_stability": { type: "text", purpose: "financial_planning" },
  "finance.experience": { type: "text", purpose: "financial_planning" },
  "finance.goal": { type: "text", purpose: "financial_planning" },
  "finance.goal_amount": { type: "money", purpose: "financial_planning" },
  "finance.goal_date": { type: "date", purpose: "financial_planning" },
  "finance.monthly_saving": { type: "money", purpose: "financial_planning" },
  "finance.risk_band": { type: "text", purpose: "financial_planning" },
  /** A savings goal as a plan takes it: what it is for, the amount (a number, in the bot's currency) and saved so far; its date is `finance.goal_date`. */
  "finance.savings_purpose": { type: "text", purpose: "financial_planning" },
  "finance.savings_goal": { type: "number", purpose: "financial_planning" },
  "finance.savings_saved": { type: "number", purpose: "financial_planning" },
  "health.age_band": { type: "text", purpose: "health_guidance" },
  "health.pregnant": { type: "boolean", purpose: "health_guidance" },
  /** The expected due date a pregnancy's weeks imply: the weeks follow from it on any later day. */
  "health.due_date": { type: "date", purpose: "health_guidance" },
  "health.chronic_conditions": { type: "text", purpose: "health_guidance" },
  "health.allergies": { type: "text", purpose: "health_guidance" },
  "health.medicines": { type: "text", purpose: "health_guidance" },
} as const satisfies Record<`${ProfileCategory}.${string}`, FieldDefinition>;

export type ProfileField = keyof typeof PROFILE_FIELDS;
export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as [ProfileField, ...ProfileField[]];
export const ProfileFieldSchema = z.enum(PROFILE_FIELD_NAMES, {
  error: (issue) => `unknown profile field ${JSON.stringify(issue.input)} (known: ${PROFILE_FIELD_NAMES.join(", ")})`,
});

export const fieldDefinition = (field: ProfileField): FieldDefinition => PROFILE_FIELDS[field];
export const fieldCategory = (field: ProfileField): ProfileCategory => field.slice(0, field.indexOf(".")) as ProfileCategory;
export const isSpecialCategory = (field: ProfileField): boolean => PROFILE_CATEGORIES[fieldCategory(field)].special;
/** The purposes whose facts are special-category data (stored only with consent, erased on withdrawal). */
export const SPECIAL_PURPOSES: readonly ProfilePurpose[] = [
  ...new Set(PROFILE_FIELD_NAMES.filter(isSpecialCategory).map((field) => PROFILE_FIELDS[field].purpose)),
];

/** A field, or a whole category as `<category>.*`, in a bot's `profile.read` / `profile.write`. */
export type ProfileFieldPattern = ProfileField | `${ProfileCategory}.*`;

const isFieldPattern = (text: string): text is ProfileFieldPattern =>
  (PROFILE_FIELD_NAMES as readonly string[]).includes(text) || PROFILE_CATEGORY_NAMES.some((category) => text === `${category}.*`);

export const ProfileFieldPatternSchema = z
  .string()
  .refine(isFieldPattern, {
    error: (issue) =>
      `not a profile field or category: ${JSON.stringify(issue.input)} (fields: ${PROFILE_FIELD_NAMES.join(", ")}; categories as <category>.*)`,
  });

/** The fields a list of patterns names, in catalogue order. */
export function expandFieldPatterns(patterns: readonly ProfileFieldPattern[]): ProfileField[] {
  const named = new Set<string>(patterns);
  return PROFILE_FIELD_NAMES.filter((field) => named.has(field) || named.has(`${fieldCategory(field)}.*`));
}

/** The longest text a fact holds: a profile keeps answers, not documents. */
export const MAX_FACT_TEXT = 500;

/** A fact's value, as its field's type says. */
export const PROFILE_VALUE_SCHEMAS = {
  text: z.string().trim().min(1).max(MAX_FACT_TEXT),
  number: z.number().finite().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  money: MoneyValueSchema,
  /** A calendar date or an instant, ISO 8601 (the NLU's date entities). */
  date: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  boolean: z.boolean(),
} as const satisfies Record<ProfileValueType, z.ZodType>;

export const ProfileValueSchema = z.union([
  PROFILE_VALUE_SCHEMAS.text,
  PROFILE_VALUE_SCHEMAS.number,
  PROFILE_VALUE_SCHEMAS.money,
  PROFILE_VALUE_SCHEMAS.boolean,
]);
export type ProfileValue = z.infer<typeof ProfileValueSchema>;

/** Where a fact came from: the bot, the conversation and (when a remembered slot filled it) the slot. */
export const FactSourceSchema = z.object({
  bot: BotIdSchema,
  conversationId: ConversationIdSchema,
  slot: z.string().min(1).max(64).nullable(),
});
export type FactSource = z.infer<typeof FactSourceSchema>;

/** One thing the profile knows about its user (the newest value per field). */
export const ProfileFactSchema = z.object({
  field: ProfileFieldSchema,
  value: ProfileValueSchema,
  source: FactSourceSchema,
  purpose: ProfilePurposeSchema,
  setAt: z.iso.datetime(),
});
export type ProfileFact = z.infer<typeof ProfileFactSchema>;

/** One change of consent, kept as a history: when it was given or withdrawn, and where. */
export const ConsentEventSchema = z.object({
  purpose: ProfilePurposeSchema,
  action: z.enum(["given", "withdrawn"]),
  at: z.iso.datetime(),
  /** The bot and conversation it was said in; null when the user used an API directly. */
  bot: BotIdSchema.nullable(),
  conversationId: ConversationIdSchema.nullable(),
});
export type ConsentEvent = z.infer<typeof ConsentEventSchema>;

/** Where consent stands now for one purpose (the newest event). */
export const ConsentStateSchema = z.object({
  purpose: ProfilePurposeSchema,
  given: z.boolean(),
  /** When it was last given or withdrawn. */
  since: z.iso.datetime(),
});
export type ConsentState = z.infer<typeof ConsentStateSchema>;

/** One of the user's conversations, for "my conversations" (newest activity first). */
export const UserConversationSchema = z.object({
  id: ConversationIdSchema,
  bot: BotIdSchema,
  createdAt: z.iso.datetime(),
  lastActivity: z.iso.datetime(),
});
export type UserConversation = z.infer<typeof UserConversationSchema>;

/** The order every list of a user's conversations is in: most recently active first, ties by id (ISO times of one format sort as text). */
export const newestActivityFirst = (a: UserConversation, b: UserConversation): number =>
  a.lastActivity === b.lastActivity ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.lastActivity < b.lastActivity ? 1 : -1;

/** Whether `conversation` comes strictly after `cursor` in that order. */
export const afterCursor = (conversation: UserConversation, cursor: { lastActivity: string; id: string }): boolean =>
  conversation.lastActivity < cursor.lastActivity || (conversation.lastActivity === cursor.lastActivity && conversation.id < cursor.id);

/** Everything stored about a user, as one document (GDPR Article 15; the gateway adds the transcripts). */
export const ProfileExportSchema = z.object({
  sub: UserSubjectSchema,
  exportedAt: z.iso.datetime(),
  facts: z.array(ProfileFactSchema),
  consents: z.object({ current: z.array(ConsentStateSchema), history: z.array(ConsentEventSchema) }),
  conversations: z.array(UserConversationSchema),
});
export type ProfileExport = z.infer<typeof ProfileExportSchema>;

// ---------------------------------------------------------------------------------------------
// The bot's declaration (bot.yaml `profile`), as the object receives it with every call.

/**
 * What a bot may do with profiles: the purposes it serves and the fields it reads and writes
 * (fields or `<category>.*`). Validated in bot.yaml (shared/schemas/bot.ts) and enforced again by
 * the profile object on every call, which expands the patterns itself.
 */
export const ProfileAccessSchema = z.object({
  bot: BotIdSchema,
  purposes: z.array(ProfilePurposeSchema).max(PROFILE_PURPOSES.length),
  read: z.array(ProfileFieldPatternSchema).max(64),
  write: z.array(ProfileFieldPatternSchema).max(64),
});
export type ProfileAccess = z.infer<typeof ProfileAccessSchema>;

/** generated/bot-profiles.json: each bot's declaration, null for a bot that declares none (the gateway's bundle; never served). */
export const BotProfileAccessByBotSchema = z.record(BotIdSchema, ProfileAccessSchema.nullable());
export type BotProfileAccessByBot = z.infer<typeof BotProfileAccessByBotSchema>;

// ---------------------------------------------------------------------------------------------
// RPC inputs of the profile object. Each names the user it is for: the object keeps the `sub` it
// was created for and refuses a call for another (a wrong stub would otherwise mix two people).

const Subject = { sub: UserSubjectSchema };

export const SubjectInputSchema = z.object(Subject);

export const ReadProfileInputSchema = z.object({ ...Subject, access: ProfileAccessSchema });
export type ReadProfileInput = z.input<typeof ReadProfileInputSchema>;

/** At most this many facts per write (a turn remembers a few slots). */
export const MAX_FACTS_PER_WRITE = 32;

export const WriteFactsInputSchema = z.object({
  ...Subject,
  access: ProfileAccessSchema,
  source: FactSourceSchema,
  facts: z
    .array(
      z.object({
        field: ProfileFieldSchema,
        value: ProfileValueSchema,
        /** The remembered slot this fact came from, when the facts of one write come from several (else `source.slot`). */
        slot: z.string().min(1).max(64).optional(),
      }),
    )
    .min(1)
    .max(MAX_FACTS_PER_WRITE),
});
export type WriteFactsInput = z.input<typeof WriteFactsInputSchema>;

/** What a write did with each fact: stored, or held back until the user consents to its purpose. */
export const WriteFactsResultSchema = z.object({
  stored: z.array(ProfileFieldSchema),
  consentRequired: z.array(z.object({ field: ProfileFieldSchema, purpose: ProfilePurposeSchema })),
});
export type WriteFactsResult = z.infer<typeof WriteFactsResultSchema>;

export const SetConsentInputSchema = z.object({
  ...Subject,
  purpose: ProfilePurposeSchema,
  given: z.boolean(),
  /** The bot and conversation the user said it in; null for the user's own API call. */
  via: z.object({ bot: BotIdSchema, conversationId: ConversationIdSchema }).nullable(),
});
export type SetConsentInput = z.input<typeof SetConsentInputSchema>;

export const SetConsentResultSchema = z.object({
  consent: ConsentStateSchema,
  /** Facts of the purpose a withdrawal erased. */
  erasedFacts: z.number().int().nonnegative(),
});
export type SetConsentResult = z.infer<typeof SetConsentResultSchema>;

/**
 * A conversation starts for a signed-in user: it is added to their conversations, and what its bot
 * may read of the profile comes back (the conversation carries it from turn to turn, so no turn
 * reads the profile again). One call, at creation. `access` null: the bot declares no profile use.
 */
export const OpenConversationInputSchema = z.object({ ...Subject, conversation: UserConversationSchema, access: ProfileAccessSchema.nullable() });
export type OpenConversationInput = z.input<typeof OpenConversationInputSchema>;

export const RemoveConversationInputSchema = z.object({ ...Subject, conversationId: ConversationIdSchema });
export type RemoveConversationInput = z.input<typeof RemoveConversationInputSchema>;

export const MAX_USER_CONVERSATIONS_PAGE = 100;
/** Conversations kept per user; past this the least recently active leave the list (the conversations themselves stay). */
export const MAX_LISTED_CONVERSATIONS = 1_000;
/** Where a page of "my conversations" starts: strictly older activity than this entry (ties by id). */
export const UserConversationCursorSchema = z.object({ lastActivity: z.iso.datetime(), id: ConversationIdSchema });
export type UserConversationCursor = z.infer<typeof UserConversationCursorSchema>;

export const ListUserConversationsInputSchema = z.object({
  ...Subject,
  /** Up to the whole list: the gateway merges the user's profiles and pages the result itself. */
  limit: z.number().int().min(1).max(MAX_LISTED_CONVERSATIONS),
  before: UserConversationCursorSchema.optional(),
});
export type ListUserConversationsInput = z.input<typeof ListUserConversationsInputSchema>;

export const UserConversationPageSchema = z.object({
  conversations: z.array(UserConversationSchema),
  nextCursor: UserConversationCursorSchema.nullable(),
});
export type UserConversationPage = z.infer<typeof UserConversationPageSchema>;

export const EraseResultSchema = z.object({
  /** False when there was nothing to erase (a second erase, or a user never seen). */
  erased: z.boolean(),
});
export type EraseResult = z.infer<typeof EraseResultSchema>;

// ---------------------------------------------------------------------------------------------
// What the profile object stores (durable-objects/user-profile/profile-table.ts): ONE table,
// `profile (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`, no secondary index. Each row's
// value is JSON, validated with the schema its key names whenever it is read:
//
//   record                 whose profile this is and when its user was last active (ProfileRecordSchema)
//   fact:<field>           the newest value of one field (StoredFactSchema)
//   consents               the consent history of every purpose, oldest first (StoredConsentsSchema)
//   conversation:<id>      one of the user's conversations (StoredUserConversationSchema)
//
// A new user's first conversation writes the table and two rows (record, conversation); a
// returning user's new conversation one row (two when the last activity moves on, hourly at most).

/** The storage version the `profile` table is at (version 1 was the four tables of the `Legacy…` rows below). */
export const PROFILE_STORAGE_VERSION = 2;

/** Keys of the rows that are not one of a kind: `fact:<field>`, `conversation:<id>`. */
export const PROFILE_ROW_PREFIX = { fact: "fact:", conversation: "conversation:" } as const;
export const PROFILE_RECORD_KEY = "record";
export const PROFILE_CONSENTS_KEY = "consents";

/** The `record` row. */
export const ProfileRecordSchema = z.object({
  v: z.literal(PROFILE_STORAGE_VERSION),
  sub: UserSubjectSchema,
  /** ms since the epoch, hour granularity: retention erases a profile idle longer than the deployment allows. */
  lastActivity: z.number().int().nonnegative(),
});
export type ProfileRecord = z.infer<typeof ProfileRecordSchema>;

/** A `fact:<field>` row: the fact without its field (the key names it). */
export const StoredFactSchema = ProfileFactSchema.omit({ field: true });
export type StoredFact = z.infer<typeof StoredFactSchema>;

/** Consent events kept per purpose: enough to show when consent was given and withdrawn, bounded however often it changes. */
export const CONSENT_HISTORY_PER_PURPOSE = 50;

/** The `consents` row: every purpose's events in the order they happened (the newest of a purpose is where it stands). */
export const StoredConsentsSchema = z.object({
  events: z.array(ConsentEventSchema).max(CONSENT_HISTORY_PER_PURPOSE * PROFILE_PURPOSES.length),
});
export type StoredConsents = z.infer<typeof StoredConsentsSchema>;

/** A `conversation:<id>` row: the conversation without its id (the key names it). */
export const StoredUserConversationSchema = UserConversationSchema.omit({ id: true });
export type StoredUserConversation = z.infer<typeof StoredUserConversationSchema>;

// ---------------------------------------------------------------------------------------------
// Version 1's rows (the `meta`, `facts`, `consent_events` and `conversations` tables), read once
// when a profile stored by older code is taken over into the `profile` table.

export const LegacyFactRowSchema = z.object({
  field: ProfileFieldSchema,
  /** The value as JSON. */
  value: z.string(),
  purpose: ProfilePurposeSchema,
  source_bot: BotIdSchema,
  source_conversation: ConversationIdSchema,
  source_slot: z.string().nullable(),
  set_at: z.iso.datetime(),
});

export const LegacyConsentEventRowSchema = z.object({
  id: z.number().int(),
  purpose: ProfilePurposeSchema,
  action: z.enum(["given", "withdrawn"]),
  at: z.iso.datetime(),
  bot: BotIdSchema.nullable(),
  conversation_id: ConversationIdSchema.nullable(),
});

export const LegacyUserConversationRowSchema = z.object({
  id: ConversationIdSchema,
  bot: BotIdSchema,
  created_at: z.iso.datetime(),
  last_activity: z.iso.datetime(),
});

/** Version 1's `meta` rows (JSON values): the schema version (the migration runner's), the owner and the last activity. */
export const LegacyProfileMetaSchema = z.object({
  sub: UserSubjectSchema.optional(),
  last_activity: z.number().int().nonnegative().optional(),
});
