import { MAX_REPORTS_PER_CALL } from "../../../durable-objects/analytics/analytics-figures.ts";
import { AnalyticsQueueMessageSchema, type AnalyticsReport, type ConversationReports, type DirectoryEntry } from "../../../shared/schemas/index.ts";
import { describeZodError } from "../../../shared/zod-issues.ts";
import { analyticsShardName, analyticsShardOf, botAnalyticsStub } from "./bot-analytics-stub.ts";
import { directoryShardName, directoryShardOf, directoryStub } from "./directory-stub.ts";

interface ObjectWork<Item> {
  bot: string;
  shard: number;
  /** The queue messages it came in, and what each brought for this object. */
  messages: { message: Message<unknown>; items: Item[] }[];
}

/**
 * Consumes the `analytics` report queue (every shard): each message's analytics reports go to their
 * bots' analytics shards, its directory entries to their bots' directory shards — one call per object
 * per batch, so an object's write rate is in batches, not turns. A message is acknowledged once every
 * object it had something for took it; otherwise it is retried, and the objects skip what they had
 * (an analytics shard counts each message once by its id, a directory keeps an entry's newest revision).
 */
export async function countAnalyticsReports(batch: MessageBatch<unknown>, env: GatewayEnv): Promise<void> {
  const analytics = new Map<string, ObjectWork<AnalyticsReport>>();
  const directories = new Map<string, ObjectWork<DirectoryEntry>>();
  const failed = new Set<Message<unknown>>();
  for (const message of batch.messages) {
    const parsed = AnalyticsQueueMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // Retrying cannot make it readable, and nobody waits for it: logged and dropped.
      console.error(JSON.stringify({ event: "invalid_analytics_report", error: describeZodError(parsed.error) }));
      message.ack();
      continue;
    }
    const body: ConversationReports = parsed.data.v === 2 ? parsed.data : { v: 2, reports: [parsed.data], entries: [] };
    for (const report of body.reports) {
      // A user's conversations are counted in the shard their key hashes to: all of one user's days in one place.
      const shard = analyticsShardOf(env, report.fact.kind === "user_conversation" ? report.fact.userKey : report.conversationId);
      add(analytics, analyticsShardName(report.bot, shard), { bot: report.bot, shard }, message, report);
    }
    for (const entry of body.entries) {
      const shard = directoryShardOf(env, entry.id);
      add(directories, directoryShardName(entry.bot, shard), { bot: entry.bot, shard }, message, entry);
    }
  }
  await Promise.all([
    ...[...analytics.values()].map((work) =>
      inCalls(work, MAX_REPORTS_PER_CALL, (messages) =>
        botAnalyticsStub(env, work.bot, work.shard).record(work.bot, messages.map(({ message, items }) => ({ key: message.id, reports: items }))),
      ).catch((error: unknown) => {
        console.error(JSON.stringify({ event: "analytics_record_failed", bot: work.bot, shard: work.shard, error: String(error) }));
        for (const { message } of work.messages) failed.add(message);
      }),
    ),
    ...[...directories.values()].map((work) =>
      directoryStub(env, work.bot, work.shard)
        .upsertMany(work.messages.flatMap(({ items }) => items))
        .catch((error: unknown) => {
          console.error(JSON.stringify({ event: "directory_update_failed", bot: work.bot, shard: work.shard, error: String(error) }));
          for (const { message } of work.messages) failed.add(message);
        }),
    ),
  ]);
  for (const message of batch.messages) {
    if (failed.has(message)) message.retry();
    else message.ack();
  }
}

function add<Item>(into: Map<string, ObjectWork<Item>>, name: string, object: { bot: string; shard: number }, message: Message<unknown>, item: Item): void {
  const work = into.get(name) ?? { ...object, messages: [] };
  const last = work.messages.at(-1);
  if (last?.message === message) last.items.push(item);
  else work.messages.push({ message, items: [item] });
  into.set(name, work);
}

/** Calls `call` with the work's messages, as few calls as `limit` items each allows (a message is never split). */
async function inCalls<Item>(work: ObjectWork<Item>, limit: number, call: (messages: ObjectWork<Item>["messages"]) => Promise<unknown>): Promise<void> {
  let chunk: ObjectWork<Item>["messages"] = [];
  let size = 0;
  for (const entry of work.messages) {
    if (size > 0 && size + entry.items.length > limit) {
      await call(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(entry);
    size += entry.items.length;
  }
  if (chunk.length > 0) await call(chunk);
}
