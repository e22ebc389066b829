/**
 * Sending conversation reports (analytics facts, directory entries: shared/schemas/conversation-reports.ts)
 * to the `analytics` report queue, the conversation's shard of it (shared/queue-shards.ts). A report
 * is about its bot's analytics, never about the user's turn: nothing waits for it, a send is tried
 * three times, and what still could not be sent is counted as lost, never dropped silently.
 */
import type { Metrics } from "./metrics/recorder.ts";
import { reportShards, shardOf } from "./queue-shards.ts";
import { MAX_REPORTS_PER_MESSAGE, type ConversationReports } from "./schemas/index.ts";

const RETRY_DELAYS_MS = [50, 250];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one conversation's reports (its object's own, off the turn's path). */
export async function sendReportsWithRetries(env: object, conversationId: string, message: ConversationReports, metrics: Metrics): Promise<void> {
  const shards = reportShards(env, "analytics");
  await sendWithRetries(shards[shardOf(conversationId, shards.length)]!, message, metrics);
}

/**
 * Sends the reports of a batch of turns (the dialogue consumer's), merged into one message per
 * shard of the analytics queue: a batch of turns costs one queue message per shard it touches, not
 * one per turn.
 */
export async function sendReportBatch(env: object, collected: readonly ConversationReports[], metrics: Metrics): Promise<void> {
  if (collected.length === 0) return;
  const shards = reportShards(env, "analytics");
  const byShard = new Map<number, ConversationReports[]>();
  const add = (conversationId: string, change: (message: ConversationReports) => void) => {
    const shard = shardOf(conversationId, shards.length);
    const messages = byShard.get(shard) ?? [{ v: 2, reports: [], entries: [] }];
    let last = messages.at(-1)!;
    if (last.reports.length + last.entries.length >= MAX_REPORTS_PER_MESSAGE) messages.push((last = { v: 2, reports: [], entries: [] }));
    change(last);
    byShard.set(shard, messages);
  };
  for (const message of collected) {
    for (const report of message.reports) add(report.conversationId, (into) => into.reports.push(report));
    for (const entry of message.entries) add(entry.id, (into) => into.entries.push(entry));
  }
  await Promise.all([...byShard].flatMap(([shard, messages]) => messages.map((message) => sendWithRetries(shards[shard]!, message, metrics))));
}

async function sendWithRetries(queue: { send(body: unknown): Promise<unknown> }, message: ConversationReports, metrics: Metrics): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await queue.send(message);
      return;
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        console.error(JSON.stringify({ event: "reports_lost", reports: message.reports.length, entries: message.entries.length, error: String(error) }));
        if (message.reports.length > 0) metrics.count("stratus_reports_lost_total", { kind: "report" }, message.reports.length);
        if (message.entries.length > 0) metrics.count("stratus_reports_lost_total", { kind: "entry" }, message.entries.length);
        return;
      }
      await sleep(delay);
    }
  }
}
