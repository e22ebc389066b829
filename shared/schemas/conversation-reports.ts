import { z } from "zod";
import { AnalyticsReportSchema } from "./analytics.ts";
import { DirectoryEntrySchema } from "./directory.ts";

/** The most reports and entries one message carries (a dialogue consumer batch is at most 100 turns). */
export const MAX_REPORTS_PER_MESSAGE = 200;

/**
 * How long the directory and the analytics remember an erasure (an erased conversation's id, an
 * erased user's pseudonymous key), so that a report still on its way through the report queue does
 * not bring the erased data back: reports arrive within minutes, queue retries included.
 */
export const ERASURE_MEMORY_MS = 7 * 86_400_000;

/**
 * One message of the `analytics` report queue (shared/queue-shards.ts): what happened in some
 * conversations — the analytics facts of the turns a dialogue batch answered and the directory
 * entries they changed, or one event a conversation object reports itself (a handoff, an agent's
 * message, a new conversation). The gateway counts the reports into the bots' analytics objects and
 * the entries into their directories, one call per object per batch of messages.
 */
export const ConversationReportsSchema = z.object({
  v: z.literal(2),
  reports: z.array(AnalyticsReportSchema).max(MAX_REPORTS_PER_MESSAGE),
  entries: z.array(DirectoryEntrySchema).max(MAX_REPORTS_PER_MESSAGE),
});
export type ConversationReports = z.infer<typeof ConversationReportsSchema>;

/** A message of the analytics queue in either version: one report (older producers, in flight during a deploy) or a v2 batch. */
export const AnalyticsQueueMessageSchema = z.union([ConversationReportsSchema, AnalyticsReportSchema]);
