import type { Step } from "../../../../shared/schemas/bot.ts";
import { conditionHolds } from "./conditions.ts";
import { say, type Effect } from "./effects.ts";
import type { TurnView } from "./types.ts";

/**
 * A step as effects, in the order its fields run: clear slots, set slots, recall remembered slots, say responses, call the
 * action, start the form, offer a human. What the action and the form then do follows when applied.
 */
export function stepEffects(step: Step): Effect[] {
  const effects: Effect[] = [];
  if (step.clearSlots !== undefined) effects.push({ type: "clearSlots", slots: step.clearSlots });
  for (const [slot, value] of Object.entries(step.setSlots ?? {})) effects.push({ type: "setSlot", slot, value });
  if (step.recall !== undefined && step.recall.length > 0) effects.push({ type: "recallSlots", slots: step.recall });
  if (step.response !== undefined) effects.push(say(step.response));
  for (const response of step.responses ?? []) effects.push(say(response));
  if (step.action !== undefined) effects.push({ type: "callAction", action: step.action });
  if (step.form !== undefined) effects.push({ type: "startForm", form: step.form });
  if (step.offerHuman === true) effects.push({ type: "offerHuman" });
  return effects;
}

/** The first step whose condition holds, as effects; none if no condition holds. */
export function firstMatchingStep(view: TurnView, steps: readonly Step[]): Effect[] {
  const step = steps.find((candidate) => conditionHolds(view, candidate.when));
  return step ? stepEffects(step) : [];
}
