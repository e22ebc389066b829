/**
 * The signed-in user's HTTP API (docs/privacy.md): their conversations, a token to resume one on
 * another device, their data as one document (GDPR Article 15) and its erasure (Article 17), and
 * the keys backends check user assertions with.
 */
import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { ConversationIdSchema, ConversationSummarySchema, MessageSchema } from "./conversation.ts";
import { DirectoryEntrySchema } from "./directory.ts";
import { MAX_USER_CONVERSATIONS_PAGE, ProfileExportSchema, UserConversationSchema, UserKeySchema, UserSubjectSchema } from "./profile.ts";
import { queryInt, querySchema, queryText } from "./query.ts";

/** `/v1/users/{sub}/…`: the user's id as their host's tokens name it (percent-encoded in the path). */
export const UserParamsSchema = z.object({ sub: UserSubjectSchema });

/** `/v1/users/me/conversations/{id}/token`. */
export const UserConversationParamsSchema = z.object({ id: ConversationIdSchema });

export const ListUserConversationsQuerySchema = querySchema({
  limit: queryInt(1, MAX_USER_CONVERSATIONS_PAGE).default(20),
  /** Only this bot's conversations (a client resuming its bot's latest). */
  bot: queryText(64).pipe(BotIdSchema).optional(),
  /** `nextCursor` of the previous page. */
  cursor: queryText(300).optional(),
});

/** A page of the user's conversations, most recently active first: `lastActivity` is a conversation's last message (as its bot's directory lists it), else when it started. */
export const UserConversationListSchema = z.object({
  conversations: z.array(UserConversationSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type UserConversationList = z.infer<typeof UserConversationListSchema>;

/** One conversation in the export: what it is and its whole transcript, as stored (personal values masked). */
export const ExportedConversationSchema = ConversationSummarySchema.extend({ messages: z.array(MessageSchema) });

/** A bot analytics row tied to the user: their pseudonymous key, a day, the conversations they started that day. */
export const UserActivityRowSchema = z.object({ day: z.iso.date(), conversations: z.number().int().nonnegative() });
export type UserActivityRow = z.infer<typeof UserActivityRowSchema>;

/** Everything the deployment holds about one user, as one document. Empty lists for a user it does not know. */
export const UserExportSchema = z.object({
  sub: UserSubjectSchema,
  exportedAt: z.iso.datetime(),
  /** Facts with their source and purpose, consent now and its history, the list of conversations. */
  profile: ProfileExportSchema,
  conversations: z.array(ExportedConversationSchema),
  /** The conversations' entries in the operator inbox's directories. */
  directoryEntries: z.array(DirectoryEntrySchema.omit({ revision: true })),
  /** What the bots' analytics keep of the user: under a pseudonymous key, per bot and day. */
  analytics: z.object({
    userKey: UserKeySchema,
    bots: z.array(z.object({ bot: BotIdSchema, days: z.array(UserActivityRowSchema) })),
  }),
});
export type UserExport = z.infer<typeof UserExportSchema>;

/** What an erasure deleted; zeros (and `profile: false`) when there was nothing left. */
export const UserErasureSchema = z.object({
  sub: UserSubjectSchema,
  erased: z.object({
    conversations: z.number().int().nonnegative(),
    directoryEntries: z.number().int().nonnegative(),
    analyticsRows: z.number().int().nonnegative(),
    profiles: z.number().int().nonnegative(),
  }),
});
export type UserErasure = z.infer<typeof UserErasureSchema>;

/** `GET /.well-known/stratus-action-keys.json`: the public keys user assertions are signed with (a JWKS). */
export const ActionKeySetSchema = z.object({
  keys: z.array(
    z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal("ES256"), use: z.literal("sig") }),
  ),
});
