import type { Metrics } from "../../shared/metrics/recorder.ts";
import { recordTurnFacts, type TurnFacts } from "../../shared/metrics/turn-facts.ts";
import { log } from "../../shared/turn-log.ts";
import type { ConversationInfo } from "./conversation-record.ts";
import { turnFacts } from "./turn-facts.ts";
import type { TurnEvent } from "./turn-scheduler.ts";

export interface TurnObserverHost {
  conversation(): ConversationInfo | undefined;
  /** Where metrics go (this isolate's recorder); the host flushes them after each event. */
  metrics(): Metrics;
  /** Every closed turn's facts, once each (Analytics Engine, when configured). */
  onTurnClosed(facts: TurnFacts): void;
}

/**
 * What the object records of the turn rules' decisions (turn-scheduler.ts emits each as an event):
 * a log line per event for Workers Logs, and the metrics. A closed turn becomes one TurnFacts
 * record, counted once, since the scheduler closes a turn once.
 */
export class TurnObserver {
  constructor(private readonly host: TurnObserverHost) {}

  onTurnEvent(event: TurnEvent): void {
    const info = this.host.conversation();
    this.log(event, info?.id ?? "");
    if (!info) return;
    const metrics = this.host.metrics();
    const bot = info.bot;
    switch (event.type) {
      case "dispatched":
        metrics.count("stratus_turn_dispatches_total", { bot, cause: event.cause });
        return;
      case "dispatch_failed":
        metrics.count("stratus_turn_dispatch_failures_total", { bot });
        return;
      case "result_dropped":
        metrics.count("stratus_turn_results_dropped_total", { bot, reason: event.reason });
        return;
      case "answered": {
        const facts = turnFacts(event, info);
        recordTurnFacts(metrics, facts);
        this.host.onTurnClosed(facts);
        return;
      }
      case "timed_out":
      case "dead_letter":
      case "replay_requested":
        // Counted where they lead: a dispatch (cause watchdog, dead_letter, replay) or a pipeline fallback.
        return;
    }
  }

  /** One line per event, keyed by the turn's trace id; a result's content (texts, NLU) is not logged. */
  private log(event: TurnEvent, conversationId: string): void {
    const line = { ...event.turn, conversationId };
    if (event.type === "dispatch_failed") {
      console.error(JSON.stringify({ event: "turn_dispatch_failed", ...line, error: event.error }));
    } else if (event.type === "answered") {
      log("turn_answered", line, {
        outcome: event.outcome,
        replies: event.replies,
        ...(event.outcome === "bot" ? { resultAttempt: event.result.attempt } : {}),
        ...(event.outcome === "fallback" ? { cause: event.cause } : {}),
      });
    } else {
      const { type, turn: _turn, ...fields } = event;
      log(`turn_${type}`, line, fields);
    }
  }
}
