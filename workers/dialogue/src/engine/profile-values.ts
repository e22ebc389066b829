import type { DeepReadonly, TurnView } from "./types.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";

/**
 * A field of the signed-in user's profile (`finance.horizon`), as the conversation read it when it
 * started and has kept since (the dialogue state's `profile`): only the fields the bot may read.
 * Undefined for an anonymous user or a field the profile does not hold.
 */
export function profileValue(view: Pick<TurnView, "state">, field: string): DeepReadonly<SlotValue> | undefined {
  const facts = view.state.profile?.facts;
  return facts !== undefined && Object.hasOwn(facts, field) ? facts[field] : undefined;
}
