import type { DecisionSummary } from "../../../shared/schemas/index.ts";
import type { Effect } from "./engine/effects.ts";

/** What the turn's applied effects did that is counted: a fallback, the forms that ended, the backend calls. */
export function decisionSummary(effects: readonly Effect[]): DecisionSummary {
  const summary: DecisionSummary = { fallback: false, forms: [], actions: [] };
  for (const effect of effects) {
    if (effect.type === "fallback") summary.fallback = true;
    else if (effect.type === "completeForm") summary.forms.push({ form: effect.form, outcome: "completed" });
    else if (effect.type === "cancelForm") summary.forms.push({ form: effect.form, outcome: "cancelled" });
    else if (effect.type === "actionCalled") summary.actions.push({ action: effect.action, outcome: effect.outcome, durationMs: effect.durationMs });
  }
  return summary;
}
