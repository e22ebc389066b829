import settingsJson from "../../generated/bot-analytics.json";
import {
  BotAnalyticsSettingsByBotSchema,
  MAX_KEPT_TEXT_LENGTH,
  OUT_OF_SCOPE,
  type AnalyticsFacts,
  type AnalyticsReport,
  type DialogueState,
  type Locale,
  type Message,
} from "../../shared/schemas/index.ts";
import { botLocales } from "./bot-locales.ts";
import type { ConversationRecord } from "./conversation-record.ts";
import type { Transcript } from "./transcript.ts";
import type { FirstAnswer } from "./turn-ledger.ts";
import type { TurnEvent } from "./turn-scheduler.ts";

const SETTINGS = BotAnalyticsSettingsByBotSchema.parse(settingsJson);

export interface AnalyticsReporterHost {
  /** The conversation's record keeps the reporter's facts (when it started, its handoffs). */
  readonly conversation: Pick<ConversationRecord, "info" | "analyticsFacts" | "setAnalyticsFacts">;
  /** The dialogue state now (its last locale places reports without an NLU result). */
  state(): DialogueState;
  /** The conversation's first bot row (its minute and locale are the conversation's start when the record holds no facts). */
  firstAnswer(): FirstAnswer | undefined;
  readonly transcript: Pick<Transcript, "get">;
  /** Hands a report to queue `stratus-analytics`, off the user's path (never awaited by a turn). */
  send(report: AnalyticsReport): void;
  now(): number;
}

/**
 * Turns what happens in one conversation into reports for its bot's analytics object: each
 * closed turn (from the scheduler's `answered` event), each handoff, each agent message. Keeps
 * the few facts that need the conversation's history (when it started, whether a person has had
 * it). A report never changes the turn: a failure here is logged and the turn goes on.
 */
export class AnalyticsReporter {
  constructor(private readonly host: AnalyticsReporterHost) {}

  onTurnEvent(event: TurnEvent): void {
    if (event.type !== "answered") return;
    this.guarded(() => {
      const info = this.host.conversation.info();
      const userMessage = this.host.transcript.get(event.turn.seq);
      if (!info || !userMessage) return;
      const at = event.closedAt;
      const facts = this.facts(event.turn.seq);
      const result = event.outcome === "bot" ? event.result : undefined;
      const locale = result?.nlu.locale ?? this.conversationLocale(facts);
      const startsConversation = facts.startedMinute === null;
      if (startsConversation) {
        const started = { ...facts, startedMinute: Math.floor(at / 60_000), startedLocale: locale };
        // The common first turn — the bot's reply, written in the minute the turn closed — says these
        // facts itself: the record is not written for them (one row less per new conversation).
        if (!this.firstAnswerSays(started, event.turn.seq)) this.setFacts(started);
      }
      const intent = result?.nlu.intent.name;
      const botFallback = result?.decision?.fallback ?? false;
      const actions = (result?.decision?.actions ?? []).slice(0, 20).map((call) => ({ action: call.action, failed: call.outcome !== "matched" }));
      const unrecognised = intent === OUT_OF_SCOPE || botFallback;
      const keepText = unrecognised && (SETTINGS[info.bot]?.keepUnrecognisedText ?? false);
      this.report({
        kind: "turn",
        seq: event.turn.seq,
        at,
        locale,
        outcome: event.outcome,
        startsConversation,
        startsHandedOff: startsConversation && facts.handoffs > 0,
        latencyMs: Math.max(0, at - Date.parse(userMessage.createdAt)),
        botReplies: event.replies,
        ...(intent === undefined ? {} : { intent }),
        botFallback,
        handoff: result?.handoff ?? false,
        actions,
        ...(keepText ? { text: keptText(userMessage.text) } : {}),
      });
      // A signed-in user's conversation counts for them (by pseudonymous key) once it has started.
      if (startsConversation && info.userKey !== undefined) this.report({ kind: "user_conversation", userKey: info.userKey, at });
      const recommendations = result?.decision?.recommendations;
      if (recommendations && recommendations.shown + recommendations.clicked > 0) {
        this.report({ kind: "recommendation", seq: event.turn.seq, at, locale, shown: recommendations.shown, clicked: recommendations.clicked });
      }
      if (result?.handoff) this.handedOff("bot");
    });
  }

  /** A person took the conversation: the bot handing off, or an operator taking it while the bot had it. */
  handedOff(by: "bot" | "operator"): void {
    this.guarded(() => {
      const facts = this.facts();
      const handoffs = facts.handoffs + 1;
      this.setFacts({ ...facts, handoffs });
      // The first handoff of a conversation that has started makes it not contained, where it was counted.
      const { startedMinute: minute, startedLocale: locale } = facts;
      const cohort = handoffs === 1 && minute !== null && locale !== null ? { cohort: { minute, locale } } : {};
      this.report({ kind: "handoff", ordinal: handoffs, at: this.host.now(), locale: this.conversationLocale(facts), by, ...cohort });
    });
  }

  agentMessage(message: Message): void {
    this.guarded(() => {
      this.report({ kind: "agent_message", seq: message.seq, at: this.host.now(), locale: this.conversationLocale(this.facts()) });
    });
  }

  private report(fact: AnalyticsReport["fact"]): void {
    const info = this.host.conversation.info();
    if (!info) return;
    this.host.send({ v: 1, bot: info.bot, botVersion: info.botVersion, conversationId: info.id, fact });
  }

  /** The locale a turn without an NLU result (held, pipeline fallback) or a handoff is counted in. */
  private conversationLocale(facts: AnalyticsFacts): Locale {
    const info = this.host.conversation.info();
    return (
      facts.startedLocale ?? info?.locale ?? this.host.state().lastLocale ?? botLocales(info?.bot ?? "")[0]
    );
  }

  /**
   * The facts the record holds, else what the conversation's first bot row says: the turn it closed
   * started the conversation, in its minute and locale, with no handoff yet (a handoff writes the record).
   * `closing`: the turn being reported, whose own row does not count as the conversation's start.
   */
  private facts(closing?: number): AnalyticsFacts {
    const stored = this.host.conversation.analyticsFacts();
    if (stored) return stored;
    const first = this.host.firstAnswer();
    // The turn closing now, when its row is the first: the facts as they were before it.
    if (first?.locale === undefined || first.replyTo === closing) return { startedMinute: null, startedLocale: null, handoffs: 0 };
    return { startedMinute: Math.floor(first.at / 60_000), startedLocale: first.locale, handoffs: 0 };
  }

  /** True when the record holds no facts and the first bot row answers turn `seq` and says `facts`. */
  private firstAnswerSays(facts: AnalyticsFacts, seq: number): boolean {
    if (this.host.conversation.analyticsFacts() !== undefined || facts.handoffs !== 0) return false;
    const first = this.host.firstAnswer();
    return (
      first !== undefined &&
      first.replyTo === seq &&
      first.locale === facts.startedLocale &&
      Math.floor(first.at / 60_000) === facts.startedMinute
    );
  }

  private setFacts(facts: AnalyticsFacts): void {
    this.host.conversation.setAnalyticsFacts(facts);
  }

  private guarded(report: () => void): void {
    try {
      report();
    } catch (error) {
      console.error(JSON.stringify({ event: "analytics_report_failed", error: String(error) }));
    }
  }
}

/**
 * The text an opted-in bot keeps of a message it did not understand: spacing and case folded so
 * that the same question counts as one, digits masked (order, phone and card numbers are not
 * what the owner needs to see), and cut to MAX_KEPT_TEXT_LENGTH.
 */
export function keptText(text: string): string {
  const folded = text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase().replace(/\p{Nd}/gu, "#");
  const cut = folded.slice(0, MAX_KEPT_TEXT_LENGTH);
  // Not half of a character written as a surrogate pair.
  return /[\uD800-\uDBFF]$/u.test(cut) ? cut.slice(0, -1) : cut;
}
