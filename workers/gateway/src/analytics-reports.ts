import { AnalyticsReportSchema, type AnalyticsReport } from "../../../shared/schemas/index.ts";
import { describeZodError } from "../../../shared/zod-issues.ts";
import { botAnalyticsStub } from "./bot-analytics-stub.ts";

/** The queue the conversation objects send their analytics reports to (wrangler.toml). */
export const ANALYTICS_QUEUE_NAME = "stratus-analytics";

/**
 * Consumes `stratus-analytics`: the batch's reports go to their bots' analytics objects, one call
 * per bot, so an object's write rate is in batches, not turns. A call that fails retries its
 * reports; the object skips any it had already counted, so a retry never counts twice.
 */
export async function countAnalyticsReports(batch: MessageBatch<unknown>, env: GatewayEnv): Promise<void> {
  const byBot = new Map<string, { reports: AnalyticsReport[]; messages: Message<unknown>[] }>();
  for (const message of batch.messages) {
    const parsed = AnalyticsReportSchema.safeParse(message.body);
    if (!parsed.success) {
      // Retrying cannot make it readable, and nobody waits for it: logged and dropped.
      console.error(JSON.stringify({ event: "invalid_analytics_report", error: describeZodError(parsed.error) }));
      message.ack();
      continue;
    }
    const group = byBot.get(parsed.data.bot) ?? { reports: [], messages: [] };
    group.reports.push(parsed.data);
    group.messages.push(message);
    byBot.set(parsed.data.bot, group);
  }
  await Promise.all(
    [...byBot].map(async ([bot, { reports, messages }]) => {
      try {
        await botAnalyticsStub(env, bot).record(bot, reports);
        for (const message of messages) message.ack();
      } catch (error) {
        console.error(JSON.stringify({ event: "analytics_record_failed", bot, reports: reports.length, error: String(error) }));
        for (const message of messages) message.retry();
      }
    }),
  );
}
