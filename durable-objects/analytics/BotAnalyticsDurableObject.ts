import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import settingsJson from "../../generated/bot-analytics.json";
import {
  AnalyticsRangeSchema,
  AnalyticsReportSchema,
  BotAnalyticsSettingsByBotSchema,
  UNRECOGNISED_TEXT_RETENTION_DAYS,
  type AnalyticsFigures,
  type BotAnalyticsSettings,
} from "../../shared/schemas/index.ts";
import { migrateStorage } from "../../shared/storage-migrations.ts";
import { RangeSummary, versionSummaries } from "./analytics-summary.ts";
import { RollupStore } from "./rollup-store.ts";
import { ANALYTICS_MIGRATIONS } from "./storage-migrations.ts";

/** Each bot's analytics settings from its bot.yaml (`npm run build:bots`). */
const SETTINGS = BotAnalyticsSettingsByBotSchema.parse(settingsJson);
const COUNTS_ONLY: BotAnalyticsSettings = { keepUnrecognisedText: false };
/** The largest batch the consumer sends (the queue's max_batch_size). */
export const MAX_REPORTS_PER_CALL = 100;
const TOP_TEXTS = 10;
const PRUNE_EVERY_MS = 3_600_000;

const ReportsSchema = z.array(AnalyticsReportSchema).max(MAX_REPORTS_PER_CALL);

/**
 * One bot's analytics (named by the bot id): per-minute rollups in SQLite that the conversation
 * objects' reports are counted into (through queue `stratus-analytics`, off the user's path),
 * and the ranges `GET /v1/analytics` reads. Every report counts once, by its key. An hourly
 * alarm forgets rows past their retention.
 */
export class BotAnalyticsDurableObject extends DurableObject<GatewayEnv> {
  private readonly store: RollupStore;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    migrateStorage(ctx.storage, ANALYTICS_MIGRATIONS, Date.now());
    this.store = new RollupStore(ctx.storage.sql);
  }

  /**
   * Counts a batch of the bot's reports; a report already counted is skipped. Reports for another
   * bot than the object's are refused (logged, not counted): the consumer groups by bot, so they
   * point at a bug, and retrying would not help.
   */
  async record(bot: string, raw: unknown): Promise<{ counted: number; duplicates: number; refused: number }> {
    const reports = ReportsSchema.parse(raw);
    const owner = this.store.claimBot(bot);
    const own = reports.filter((report) => report.bot === owner);
    const refused = reports.length - own.length;
    if (refused > 0) console.error(JSON.stringify({ event: "analytics_reports_refused", bot: owner, refused }));
    const { keepUnrecognisedText } = settingsOf(owner);
    const now = Date.now();
    const result = this.ctx.storage.transactionSync(() => this.store.count(own, keepUnrecognisedText, now));
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
    return { ...result, refused };
  }

  /** The bot's figures over a range (already checked and aligned by the gateway). */
  query(bot: string, raw: unknown): AnalyticsFigures {
    const range = AnalyticsRangeSchema.parse(raw);
    const summary = new RangeSummary(range);
    this.store.readRange(range, summary);
    const { keepUnrecognisedText } = settingsOf(bot);
    return {
      totals: summary.totals(),
      versions: versionSummaries(this.store.readVersions(range)),
      series: summary.series(),
      unrecognised: {
        count: summary.unrecognised,
        textKept: keepUnrecognisedText,
        textRetentionDays: UNRECOGNISED_TEXT_RETENTION_DAYS,
        top: keepUnrecognisedText ? this.store.topTexts(range, TOP_TEXTS) : [],
      },
      rowsRead: summary.rowsRead,
    };
  }

  override async alarm(): Promise<void> {
    const bot = this.store.bot();
    const keepText = bot !== undefined && settingsOf(bot).keepUnrecognisedText;
    const left = this.store.prune(Date.now(), keepText);
    if (left) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
  }
}

export const settingsOf = (bot: string): BotAnalyticsSettings => SETTINGS[bot] ?? COUNTS_ONLY;
