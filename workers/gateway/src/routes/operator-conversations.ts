import { createRoute } from "@hono/zod-openapi";
import {
  ConversationListSchema,
  ListConversationsQuerySchema,
  type ConversationListing,
  type DirectoryEntry,
} from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { botCatalog, resolveBot } from "../bot-catalog.ts";
import { directoryShards, directoryStub } from "../directory-stub.ts";
import { ApiError } from "../errors.ts";
import { decodeListingCursor, encodeListingCursor } from "../listing-cursor.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const listConversations = createRoute({
  method: "get",
  path: "/v1/operator/conversations",
  operationId: "listOperatorConversations",
  summary: "Operator: conversations by state, newest first, paged (default: those waiting for a person)",
  description:
    "From the directory of each bot (or of `bot`), every shard of it merged: id, bot, locale, state, who handed it off, and the last message. " +
    "Pass `nextCursor` back as `cursor` for the next page.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { query: ListConversationsQuerySchema },
  responses: {
    200: { description: "A page of conversations", content: { "application/json": { schema: ConversationListSchema } } },
    ...errorResponses.pick(401),
  },
});

/** Newest first; ties (same millisecond) by id, the same order every directory pages in. */
const newestFirst = (a: DirectoryEntry, b: DirectoryEntry): number =>
  a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1;

const listing = ({ revision: _revision, ...entry }: DirectoryEntry): ConversationListing => ({ ...entry, channel: entry.channel ?? "web" });

export const operatorConversationRoutes = newRouter().openapi(listConversations, async (c) => {
  const { state, bot, limit, cursor } = c.req.valid("query");
  const before = cursor === undefined ? undefined : decodeListingCursor(cursor);
  if (cursor !== undefined && !before) throw new ApiError("invalid_request", "cursor: not a cursor this API gave out");
  const bots = bot === undefined ? botCatalog.bots.map((entry) => entry.id) : [resolveBot(bot, undefined).id];
  // One more than a page from each directory shard of each bot (each pages in the same order):
  // whether anything is left after this page is then known, and no entry is skipped between pages.
  const shards = Array.from({ length: directoryShards(c.env) }, (_, shard) => shard);
  const pages = await Promise.all(
    bots.flatMap((id) => shards.map((shard) => directoryStub(c.env, id, shard).list({ state, limit: limit + 1, ...(before ? { before } : {}) }))),
  );
  const merged = pages.flat().sort(newestFirst);
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  return c.json(
    {
      conversations: page.map(listing),
      nextCursor: merged.length > limit && last ? encodeListingCursor(last) : null,
    },
    200,
  );
});
