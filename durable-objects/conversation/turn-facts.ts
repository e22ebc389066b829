import { UNKNOWN_LOCALE } from "../../shared/metrics/label-domains.ts";
import { stageDurations } from "../../shared/metrics/stage-timings.ts";
import type { TurnFacts } from "../../shared/metrics/turn-facts.ts";
import type { ConversationInfo } from "./conversation-record.ts";
import type { AnsweredTurn } from "./turn-scheduler.ts";

/** The one record of a closed turn (shared/metrics/turn-facts.ts), from the scheduler's `answered` event. */
export function turnFacts(event: AnsweredTurn, conversation: Pick<ConversationInfo, "bot" | "locale">): TurnFacts {
  const base = {
    bot: conversation.bot,
    replies: event.replies,
    attempts: event.turn.attempt,
    durationMs: event.openedAt === null ? null : Math.max(0, event.closedAt - event.openedAt),
  };
  switch (event.outcome) {
    case "bot": {
      const { nlu, timings, decision, handoff } = event.result;
      return {
        ...base,
        outcome: "answered",
        locale: nlu.locale,
        intent: nlu.intent.name,
        confidence: nlu.intent.confidence,
        handoff,
        ...(timings ? { stages: stageDurations(timings, { openedAt: event.openedAt, appliedAt: event.closedAt }) } : {}),
        ...(decision ? { decision } : {}),
      };
    }
    case "fallback":
      return { ...base, outcome: "fallback", locale: conversation.locale ?? UNKNOWN_LOCALE, fallbackCause: event.cause };
    case "held":
      return { ...base, outcome: "held", locale: conversation.locale ?? UNKNOWN_LOCALE };
  }
}
