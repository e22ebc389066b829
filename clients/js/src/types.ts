/**
 * The wire types, from the zod schemas the gateway validates with (shared/schemas/). Type-only
 * imports: erased from the build, so the SDK carries no zod at run time.
 */
export type {
  BotCatalog,
  BotCatalogEntry,
  Conversation,
  ConversationSummary,
  Locale,
  Message,
  ReplyEvent,
  ServerFrame,
} from "../../../shared/schemas/index.ts";
