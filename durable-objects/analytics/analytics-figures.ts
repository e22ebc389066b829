// What the analytics object and its readers (the gateway's analytics route and report consumer) share,
// kept apart from the Durable Object class so the gateway's routes load without the Workers runtime.
import settingsJson from "../../generated/bot-analytics.json";
import {
  BotAnalyticsSettingsByBotSchema,
  UNRECOGNISED_TEXT_RETENTION_DAYS,
  type AnalyticsFigures,
  type BotAnalyticsSettings,
} from "../../shared/schemas/index.ts";
import type { RangeSummary } from "./analytics-summary.ts";

/** Each bot's analytics settings from its bot.yaml (`npm run build:bots`). */
const SETTINGS = BotAnalyticsSettingsByBotSchema.parse(settingsJson);
const COUNTS_ONLY: BotAnalyticsSettings = { keepUnrecognisedText: false };
/** The most reports one call counts (the consumer splits a larger batch). */
export const MAX_REPORTS_PER_CALL = 2_000;
export const TOP_TEXTS = 10;

export const settingsOf = (bot: string): BotAnalyticsSettings => SETTINGS[bot] ?? COUNTS_ONLY;

export type KeptText = AnalyticsFigures["unrecognised"]["top"][number];

/** The figures of a range from a summary (one shard's, or all shards' merged) and its top kept texts. */
export function figuresOf(bot: string, summary: RangeSummary, texts: KeptText[]): AnalyticsFigures {
  const { keepUnrecognisedText } = settingsOf(bot);
  return {
    totals: summary.totals(),
    versions: summary.versions(),
    series: summary.series(),
    unrecognised: {
      count: summary.unrecognised,
      textKept: keepUnrecognisedText,
      textRetentionDays: UNRECOGNISED_TEXT_RETENTION_DAYS,
      top: keepUnrecognisedText ? texts : [],
    },
    rowsRead: summary.rowsRead,
  };
}
