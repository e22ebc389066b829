import type { TurnSummary } from "../../../../shared/schemas/dialogue.ts";
import type { Effect } from "./effects.ts";

/** At most this many action calls are summarised (a turn calls one or two). */
const MAX_ACTIONS = 20;

/** What happened in a turn, from the effects the applier recorded (apply.ts). */
export function summarizeTurn(effects: readonly Effect[]): TurnSummary {
  const actions: TurnSummary["actions"] = [];
  let fallback = false;
  for (const effect of effects) {
    if (effect.type === "fallback") fallback = true;
    else if (effect.type === "actionCalled" && actions.length < MAX_ACTIONS) actions.push({ action: effect.action, outcome: effect.outcome });
  }
  return { fallback, actions };
}
