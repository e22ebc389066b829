import type { Condition, SlotTest } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { containsTerm, normalizeText } from "./text.ts";
import { profileValue } from "./profile-values.ts";
import { isFilled } from "./slots.ts";
import type { DeepReadonly, TurnView } from "./types.ts";

/** Does every test of the condition hold for this turn? An absent condition always holds. */
export function conditionHolds(view: TurnView, condition: Condition | undefined): boolean {
  if (!condition) return true;
  for (const [name, test] of Object.entries(condition.slots ?? {})) {
    if (!slotTestHolds(view.state.slots[name], test)) return false;
  }
  // What the signed-in user's profile says (nothing, for an anonymous user: `set: false` holds).
  for (const [field, test] of Object.entries(condition.profile ?? {})) {
    if (!slotTestHolds(profileValue(view, field) ?? undefined, test)) return false;
  }
  for (const entity of condition.entities ?? []) {
    if (!view.entities.some((found) => found.entity === entity)) return false;
  }
  if (condition.textContains) {
    const text = normalizeText(view.input.text);
    if (!condition.textContains.some((term) => containsTerm(text, term))) return false;
  }
  if (condition.textMatches !== undefined) {
    // Validated as a regex by the bot schema.
    // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
    if (!new RegExp(condition.textMatches, "iu").test(view.input.text.normalize("NFKC"))) return false;
  }
  return true;
}

function slotTestHolds(value: DeepReadonly<SlotValue> | undefined, test: SlotTest): boolean {
  if (test.set !== undefined && isFilled(value) !== test.set) return false;
  if (test.equals !== undefined && !scalarEquals(value, test.equals)) return false;
  if (test.in !== undefined && !test.in.some((candidate) => scalarEquals(value, candidate))) return false;
  return true;
}

export function scalarEquals(value: unknown, expected: string | number | boolean): boolean {
  if (typeof value === "string" && typeof expected === "string") return value.toLowerCase() === expected.toLowerCase();
  return value === expected;
}
