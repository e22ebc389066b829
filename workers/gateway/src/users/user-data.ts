/**
 * Everything the deployment holds about one signed-in user, found from their profile objects'
 * list of conversations: the profiles (facts, consents, the list), each conversation (summary and
 * transcript), the conversations' directory entries (the operator inbox), and the rows the bots'
 * analytics keep under the user's pseudonymous key. `exportUser` returns it as one document (GDPR
 * Article 15); `eraseUser` deletes all of it (Article 17) and may be repeated.
 */
import type { DirectoryEntry, UserErasure, UserExport } from "../../../../shared/schemas/index.ts";
import { newestActivityFirst, ProfileExportSchema } from "../../../../shared/schemas/index.ts";
import { analyticsShardOf, botAnalyticsStub } from "../bot-analytics-stub.ts";
import { botCatalog } from "../bot-catalog.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { byDirectoryShard } from "./directory-groups.ts";
import { profilesOfUser, userKeyOf } from "./user-profiles.ts";

/** Conversations asked at a time (each is one call to its object). */
const CONCURRENCY = 8;

export async function exportUser(env: GatewayEnv, sub: string): Promise<UserExport> {
  const exportedAt = new Date().toISOString();
  const profile = await mergedProfile(env, sub, exportedAt);
  const conversations = (await inBatches(profile.conversations, (conversation) => conversationStub(env, conversation.id).exportForUser(sub))).filter(
    (conversation) => conversation !== null,
  );
  const directoryEntries = (await byDirectoryShard(env, profile.conversations, (stub, ids) => stub.entries(ids))).flat().map(({ revision: _revision, ...entry }: DirectoryEntry) => entry);
  const userKey = await userKeyOf(env, sub);
  const analytics = await Promise.all(
    botCatalog.bots.map(async ({ id }) => ({ bot: id, days: await botAnalyticsStub(env, id, analyticsShardOf(env, userKey)).userActivity(userKey) })),
  );
  return { sub, exportedAt, profile, conversations, directoryEntries, analytics: { userKey, bots: analytics.filter((bot) => bot.days.length > 0) } };
}

/**
 * Erases the user everywhere: their conversations (each object empties itself and answers 404 from
 * then on), the conversations' directory entries, their analytics rows, and last their profiles —
 * which list the conversations, so an erasure that fails half-way finds them again when repeated.
 */
export async function eraseUser(env: GatewayEnv, sub: string): Promise<UserErasure> {
  const { conversations: listed } = await mergedProfile(env, sub, new Date().toISOString());
  const erased = await inBatches(listed, (conversation) => conversationStub(env, conversation.id).eraseForUser(sub));
  const directoryEntries = (await byDirectoryShard(env, listed, (stub, ids) => stub.eraseEntries(ids))).reduce((sum, count) => sum + count, 0);
  const userKey = await userKeyOf(env, sub);
  const analyticsRows = (await Promise.all(botCatalog.bots.map(({ id }) => botAnalyticsStub(env, id, analyticsShardOf(env, userKey)).eraseUser(userKey)))).reduce(
    (sum, count) => sum + count,
    0,
  );
  let profiles = 0;
  // One at a time: locally every jurisdiction's profile is the same object, erased once.
  for (const stub of profilesOfUser(env, sub)) {
    const result = await stub.erase({ sub });
    if (!result.ok) throw ApiError.from(result.error);
    if (result.erased) profiles++;
  }
  console.log(JSON.stringify({ event: "user_erased", conversations: erased.filter(Boolean).length, directoryEntries, analyticsRows, profiles }));
  return { sub, erased: { conversations: erased.filter(Boolean).length, directoryEntries, analyticsRows, profiles } };
}

/** The user's profiles as one export: facts, consents and conversations of every jurisdiction's profile. */
async function mergedProfile(env: GatewayEnv, sub: string, exportedAt: string): Promise<UserExport["profile"]> {
  const exports = await Promise.all(profilesOfUser(env, sub).map((stub) => stub.exportProfile({ sub })));
  const merged: UserExport["profile"] = { sub, exportedAt, facts: [], consents: { current: [], history: [] }, conversations: [] };
  const seen = new Set<string>();
  const once = (key: string): boolean => !seen.has(key) && Boolean(seen.add(key));
  for (const result of exports) {
    if (!result.ok) throw ApiError.from(result.error);
    const profile = ProfileExportSchema.parse(result.profile);
    merged.facts.push(...profile.facts.filter((fact) => once(`fact:${JSON.stringify(fact)}`)));
    merged.consents.current.push(...profile.consents.current.filter((consent) => once(`consent:${JSON.stringify(consent)}`)));
    merged.consents.history.push(...profile.consents.history.filter((event) => once(`event:${JSON.stringify(event)}`)));
    merged.conversations.push(...profile.conversations.filter((conversation) => once(`conversation:${conversation.id}`)));
  }
  merged.conversations.sort(newestActivityFirst);
  return merged;
}

/** Calls `call` for every item, CONCURRENCY at a time, results in order. */
async function inBatches<Item, Result>(items: readonly Item[], call: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(call))));
  return results;
}
