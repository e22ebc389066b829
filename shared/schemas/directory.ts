import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { CHANNEL_NAMES } from "./channels.ts";
import { ConversationIdSchema, RoleSchema } from "./conversation.ts";
import { LocaleSchema } from "./nlu.ts";
import { UserSubjectSchema } from "./profile.ts";
import { queryInt, querySchema, queryText } from "./query.ts";

/**
 * The conversation directory: one entry per conversation in its bot's directory Durable Object,
 * kept up to date by the conversation object, listed for operators (the inbox).
 */

/** `bot`: the bot answers; `handed_off`: a person has it (the bot handed it over, or an operator took it). */
export const ConversationStateSchema = z.enum(["bot", "handed_off"]);
export type ConversationState = z.infer<typeof ConversationStateSchema>;

/** Who handed a conversation to a person: the bot (the user asked, or it gave up) or an operator. */
export const HandedOffBySchema = z.enum(["bot", "operator"]);
export type HandedOffBy = z.infer<typeof HandedOffBySchema>;

/** The longest excerpt of the last message an entry keeps. */
export const LISTING_EXCERPT_LENGTH = 280;

/** Where a conversation's user writes: the web API (the widget, the SDK) or a messaging channel (docs/channels.md). */
export const ConversationChannelSchema = z.enum(["web", ...CHANNEL_NAMES]);
export type ConversationChannel = z.infer<typeof ConversationChannelSchema>;

export const DirectoryEntrySchema = z.object({
  id: ConversationIdSchema,
  bot: BotIdSchema,
  /** A messaging channel's conversation; left out for a web conversation (and in entries written before channels existed). */
  channel: ConversationChannelSchema.optional(),
  locale: LocaleSchema.nullable(),
  state: ConversationStateSchema,
  /** Who handed it over, while it is handed off. */
  handedOffBy: HandedOffBySchema.nullable(),
  createdAt: z.iso.datetime(),
  /** The signed-in user it belongs to (their `sub`, for the inbox); absent for an anonymous conversation. */
  user: UserSubjectSchema.optional(),
  /** The last change: a message or a handoff. Lists are newest first by it. */
  updatedAt: z.iso.datetime(),
  lastMessage: z
    .object({
      seq: z.number().int().positive(),
      role: RoleSchema,
      text: z.string().max(LISTING_EXCERPT_LENGTH),
      createdAt: z.iso.datetime(),
    })
    .nullable(),
  /** Increases with every change of the conversation: a late, older update never overwrites a newer one. */
  revision: z.number().int().positive(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;

/** The most conversations one call to a directory shard names (its `entries`, `eraseEntries`): a caller with more makes several calls. */
export const MAX_DIRECTORY_IDS_PER_CALL = 1_000;
/** The conversations a call to a directory shard names. */
export const DirectoryIdsSchema = z.array(ConversationIdSchema).max(MAX_DIRECTORY_IDS_PER_CALL);

/** An entry as operators see it. */
export const ConversationListingSchema = DirectoryEntrySchema.omit({ revision: true }).extend({
  /** Where the user writes: `web` (the widget, the SDK, the HTTP API) or the messaging channel. */
  channel: ConversationChannelSchema,
});
export type ConversationListing = z.infer<typeof ConversationListingSchema>;

/** Where a page of a listing starts: strictly older than this entry (newest first, ties by id). */
export const ListingCursorSchema = z.object({ updatedAt: z.iso.datetime(), id: ConversationIdSchema });
export type ListingCursor = z.infer<typeof ListingCursorSchema>;

export const MAX_LISTING_PAGE = 100;

export const ListConversationsQuerySchema = querySchema({
  /** Default: the conversations waiting for a person. */
  state: queryText(16).pipe(ConversationStateSchema).default("handed_off"),
  /** One bot's conversations; default: every bot's. */
  bot: queryText(64).pipe(BotIdSchema).optional(),
  limit: queryInt(1, MAX_LISTING_PAGE).default(20),
  /** `nextCursor` of the previous page. */
  cursor: queryText(200).optional(),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuerySchema>;

export const ConversationListSchema = z.object({
  conversations: z.array(ConversationListingSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;
