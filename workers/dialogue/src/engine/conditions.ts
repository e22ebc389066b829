import type { Condition, SlotTest } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { containsTerm, normalizeText } from "./text.ts";
import { isFilled } from "./slots.ts";
import type { TurnContext } from "./types.ts";

/** Does every test of the condition hold for this turn? An absent condition always holds. */
export function conditionHolds(ctx: TurnContext, condition: Condition | undefined): boolean {
  if (!condition) return true;
  for (const [name, test] of Object.entries(condition.slots ?? {})) {
    if (!slotTestHolds(ctx.state.slots[name], test)) return false;
  }
  for (const entity of condition.entities ?? []) {
    if (!ctx.entities.some((found) => found.entity === entity)) return false;
  }
  if (condition.textContains) {
    const text = normalizeText(ctx.input.text);
    if (!condition.textContains.some((term) => containsTerm(text, term))) return false;
  }
  if (condition.textMatches !== undefined) {
    // Validated as a regex by the bot schema.
    if (!new RegExp(condition.textMatches, "iu").test(ctx.input.text.normalize("NFKC"))) return false;
  }
  return true;
}

function slotTestHolds(value: SlotValue | undefined, test: SlotTest): boolean {
  if (test.set !== undefined && isFilled(value) !== test.set) return false;
  if (test.equals !== undefined && !scalarEquals(value, test.equals)) return false;
  if (test.in !== undefined && !test.in.some((candidate) => scalarEquals(value, candidate))) return false;
  return true;
}

export function scalarEquals(value: unknown, expected: string | number | boolean): boolean {
  if (typeof value === "string" && typeof expected === "string") return value.toLowerCase() === expected.toLowerCase();
  return value === expected;
}
