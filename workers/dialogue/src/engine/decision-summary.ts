import { MAX_RECOMMENDATIONS_COUNTED, MAX_SUMMARY_ENTRIES, type DecisionSummary } from "../../../../shared/schemas/dialogue.ts";
import type { Effect } from "./effects.ts";

/** What a turn's decision did that is counted, from the effects the applier recorded (apply.ts). */
export function summarizeDecision(effects: readonly Effect[]): DecisionSummary {
  const summary: DecisionSummary = { fallback: false, forms: [], actions: [] };
  // Recommendation cards shown, and taps on their buttons (cards.ts): the analytics' click-through.
  let shown = 0;
  let clicked = 0;
  for (const effect of effects) {
    if (effect.type === "say") shown += effect.recommendationCards ?? 0;
    else if (effect.type === "postbackTapped" && effect.recommendation) clicked++;
    if (effect.type === "fallback") summary.fallback = true;
    else if ((effect.type === "completeForm" || effect.type === "cancelForm") && summary.forms.length < MAX_SUMMARY_ENTRIES) {
      summary.forms.push({ form: effect.form, outcome: effect.type === "completeForm" ? "completed" : "cancelled" });
    } else if (effect.type === "actionCalled" && summary.actions.length < MAX_SUMMARY_ENTRIES) {
      summary.actions.push({ action: effect.action, outcome: effect.outcome, durationMs: effect.durationMs });
    }
  }
  if (shown + clicked > 0) summary.recommendations = { shown: Math.min(shown, MAX_RECOMMENDATIONS_COUNTED), clicked: Math.min(clicked, MAX_RECOMMENDATIONS_COUNTED) };
  return summary;
}
