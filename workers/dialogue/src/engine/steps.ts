import type { Step } from "../../../../shared/schemas/bot.ts";
import { runAction } from "./actions.ts";
import { conditionHolds } from "./conditions.ts";
import { startForm } from "./forms.ts";
import { say } from "./responses.ts";
import { setSlot } from "./slots.ts";
import type { TurnContext } from "./types.ts";

/** Runs one step: clear slots, set slots, say responses, run the action, start the form, offer a human. */
export async function runStep(ctx: TurnContext, step: Step): Promise<void> {
  if (step.clearSlots === "all") ctx.state.slots = {};
  else for (const name of step.clearSlots ?? []) delete ctx.state.slots[name];
  for (const [name, value] of Object.entries(step.setSlots ?? {})) setSlot(ctx, name, value);
  if (step.response !== undefined) say(ctx, step.response);
  for (const name of step.responses ?? []) say(ctx, name);
  if (step.action !== undefined) await runAction(ctx, step.action);
  if (step.form !== undefined) await startForm(ctx, step.form);
  if (step.offerHuman === true) ctx.state.handoffOffered = true;
}

/** Runs the first step whose condition holds; false if none did. */
export async function runFirstMatchingStep(ctx: TurnContext, steps: readonly Step[]): Promise<boolean> {
  const step = steps.find((candidate) => conditionHolds(ctx, candidate.when));
  if (!step) return false;
  await runStep(ctx, step);
  return true;
}
