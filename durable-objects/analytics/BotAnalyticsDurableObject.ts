import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  AnalyticsRangeSchema,
  AnalyticsReportSchema,
  UserBehaviourRangeSchema,
  UserKeySchema,
  type AnalyticsFigures,
  type AnalyticsRange,
  type UserActivityRow,
  type UserBehaviourPart,
} from "../../shared/schemas/index.ts";
import { migrateStorage } from "../../shared/storage-migrations.ts";
import { figuresOf, MAX_REPORTS_PER_CALL, settingsOf, TOP_TEXTS, type KeptText } from "./analytics-figures.ts";
import { RangeSummary, type SummaryPart } from "./analytics-summary.ts";
import { RollupStore } from "./rollup-store.ts";
import { ANALYTICS_MIGRATIONS } from "./storage-migrations.ts";

const PRUNE_EVERY_MS = 3_600_000;

/** A call's reports, by the queue message they came in (its id is the key that makes them count once). */
const MessagesSchema = z
  .array(z.object({ key: z.string().min(1).max(200), reports: z.array(AnalyticsReportSchema) }))
  .refine((messages) => messages.reduce((sum, message) => sum + message.reports.length, 0) <= MAX_REPORTS_PER_CALL, {
    message: `at most ${MAX_REPORTS_PER_CALL} reports per call`,
  });

/**
 * One shard of a bot's analytics (named by the bot id, `#<shard>` after it for shards above 0):
 * per-minute rollups in SQLite that the conversations' reports are counted into (through the
 * `analytics` report queue, off the user's path), and what `GET /v1/analytics` reads of a range.
 * Every queue message's reports count once, by its key. An hourly alarm forgets rows past their retention.
 */
export class BotAnalyticsDurableObject extends DurableObject<GatewayEnv> {
  private readonly store: RollupStore;
  /** The pruning alarm was seen armed in this isolate: no need to read it on every call. */
  private pruneArmed = false;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    migrateStorage(ctx.storage, ANALYTICS_MIGRATIONS, Date.now());
    this.store = new RollupStore(ctx.storage.sql);
  }

  /**
   * Counts the bot's reports, message by message; a message already counted is skipped whole.
   * Reports for another bot than the object's are refused (logged, not counted): the consumer
   * groups by bot, so they point at a bug, and retrying would not help.
   */
  async record(bot: string, raw: unknown): Promise<{ counted: number; duplicates: number; refused: number }> {
    const messages = MessagesSchema.parse(raw);
    const owner = this.store.claimBot(bot);
    let refused = 0;
    const own = messages.map(({ key, reports }) => {
      const mine = reports.filter((report) => report.bot === owner);
      refused += reports.length - mine.length;
      return { key, reports: mine };
    });
    if (refused > 0) console.error(JSON.stringify({ event: "analytics_reports_refused", bot: owner, refused }));
    const { keepUnrecognisedText } = settingsOf(owner);
    const now = Date.now();
    const result = this.ctx.storage.transactionSync(() => this.store.count(own, keepUnrecognisedText, now));
    await this.armPrune(now);
    return { ...result, refused };
  }

  /** The hourly retention alarm, set once per object life if it is not already. */
  private async armPrune(now: number): Promise<void> {
    if (this.pruneArmed) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
    this.pruneArmed = true;
  }

  /** The bot's figures over a range (already checked and aligned by the gateway), from this shard alone. */
  query(bot: string, raw: unknown): AnalyticsFigures {
    const range = AnalyticsRangeSchema.parse(raw);
    const summary = new RangeSummary(range);
    this.store.readRange(range, summary);
    return figuresOf(bot, summary, this.topTexts(bot, range));
  }

  /** This shard's sums over a range and its most frequent kept texts, for the gateway to merge with the other shards'. */
  summarize(bot: string, raw: unknown): { part: SummaryPart; texts: KeptText[] } {
    const range = AnalyticsRangeSchema.parse(raw);
    const summary = new RangeSummary(range);
    this.store.readRange(range, summary);
    return { part: summary.export(), texts: this.topTexts(bot, range) };
  }

  /** This shard's signed-in users over a range of days (user-days.ts), for the gateway to add to the other shards'. */
  userBehaviour(raw: unknown): UserBehaviourPart {
    return this.store.users.behaviour(UserBehaviourRangeSchema.parse(raw));
  }

  /** What this shard keeps of one user (by pseudonymous key), for their export. */
  userActivity(raw: unknown): UserActivityRow[] {
    return this.store.users.rowsOf(UserKeySchema.parse(raw));
  }

  /** Erases one user's rows (by pseudonymous key); how many there were. The erasure is remembered until the alarm forgets it. */
  async eraseUser(raw: unknown): Promise<number> {
    const now = Date.now();
    const erased = this.store.users.erase(UserKeySchema.parse(raw), now);
    await this.armPrune(now);
    return erased;
  }

  private topTexts(bot: string, range: AnalyticsRange): KeptText[] {
    return settingsOf(bot).keepUnrecognisedText ? this.store.topTexts(range, TOP_TEXTS) : [];
  }

  override async alarm(): Promise<void> {
    const bot = this.store.bot();
    const keepText = bot !== undefined && settingsOf(bot).keepUnrecognisedText;
    const left = this.store.prune(Date.now(), keepText);
    if (left) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
    // With nothing left the alarm stops: the next report or erasure must set it again.
    this.pruneArmed = left;
  }
}
