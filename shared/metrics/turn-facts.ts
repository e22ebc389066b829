/**
 * What one closed turn was, in one record: the conversation object builds it once per turn, when
 * the turn closes (so a duplicated delivery or a retried attempt never counts twice), and records it
 * as metrics here. The same record is what per-turn analytics (rollups, Analytics Engine) read:
 * outcome, intent, locale, stage timings, fallback, handoff, forms, backend actions.
 */
import type { DecisionSummary } from "../schemas/dialogue.ts";
import type { Metrics } from "./recorder.ts";
import type { TurnStage } from "./stage-timings.ts";

export interface TurnFacts {
  bot: string;
  /** The locale the turn was understood in; the conversation's, or `unknown`, when nothing understood it. */
  locale: string;
  /** answered: by the bot; fallback: with the pipeline's apology; held: a human has the conversation. */
  outcome: "answered" | "fallback" | "held";
  /** Bot messages the turn produced. */
  replies: number;
  /** Dispatches the turn took (0 for a turn held before it was sent). */
  attempts: number;
  /** The user message stored → the turn closed, on the object's clock, ms (null for turns opened before this was kept). */
  durationMs: number | null;
  /** Bot-answered turns: the best intent (out_of_scope included) and its confidence. */
  intent?: string;
  confidence?: number;
  /** Bot-answered turns: milliseconds per stage, for the stages the turn carried timestamps for. */
  stages?: Partial<Record<TurnStage, number>>;
  /** Bot-answered turns: what the decision did (absent from older dialogue Workers). */
  decision?: DecisionSummary;
  /** Bot-answered turns: the bot handed the conversation to a human. */
  handoff?: boolean;
  /** Fallback turns: what ended the last attempt (an operator's replay's attempts included). */
  fallbackCause?: "watchdog" | "dead_letter" | "replay";
}

/** Every metric one closed turn adds to. */
export function recordTurnFacts(metrics: Metrics, facts: TurnFacts): void {
  const { bot, locale, outcome } = facts;
  metrics.count("stratus_turns_total", { bot, locale, outcome });
  metrics.count("stratus_messages_total", { bot, locale, role: "user" });
  metrics.count("stratus_messages_total", { bot, locale, role: "bot" }, facts.replies);
  if (facts.durationMs !== null) metrics.observe("stratus_turn_duration_seconds", { bot, outcome }, facts.durationMs / 1000);
  if (facts.fallbackCause) metrics.count("stratus_pipeline_fallbacks_total", { bot, cause: facts.fallbackCause });
  if (facts.intent !== undefined) metrics.count("stratus_intents_total", { bot, locale, intent: facts.intent });
  if (facts.confidence !== undefined) metrics.observe("stratus_intent_confidence_ratio", { bot, locale }, facts.confidence);
  for (const [stage, ms] of Object.entries(facts.stages ?? {})) metrics.observe("stratus_turn_stage_duration_seconds", { bot, stage }, ms / 1000);
  if (facts.handoff) metrics.count("stratus_handoffs_total", { bot, trigger: "bot" });
  const decision = facts.decision;
  if (!decision) return;
  if (decision.fallback) metrics.count("stratus_bot_fallbacks_total", { bot, locale });
  for (const { form, outcome: formOutcome } of decision.forms) metrics.count("stratus_forms_total", { bot, form, outcome: formOutcome });
  for (const call of decision.actions) {
    metrics.count("stratus_action_calls_total", { bot, action: call.action, outcome: call.outcome });
    metrics.observe("stratus_action_duration_seconds", { bot, action: call.action }, call.durationMs / 1000);
  }
}
