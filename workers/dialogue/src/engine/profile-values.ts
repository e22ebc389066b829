import type { DeepReadonly, TurnView } from "./types.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { rememberedField, type BotDefinition, type SlotDefinition } from "../../../../shared/schemas/bot.ts";

/**
 * A field of the signed-in user's profile (`finance.horizon`), as the conversation read it when it
 * started and has kept since (the dialogue state's `profile`): only the fields the bot may read.
 * Undefined for an anonymous user or a field the profile does not hold.
 */
export function profileValue(view: Pick<TurnView, "state">, field: string): DeepReadonly<SlotValue> | undefined {
  const facts = view.state.profile?.facts;
  return facts !== undefined && Object.hasOwn(facts, field) ? facts[field] : undefined;
}

/** The slot remembered in each profile field, the first if several are (the bot's `slotOfField`, built once when it loads). */
export function slotsByRememberedField(definition: BotDefinition): Map<string, SlotDefinition> {
  const slots = new Map<string, SlotDefinition>();
  for (const slot of Object.values(definition.slots)) {
    const field = rememberedField(slot);
    if (field !== undefined && !slots.has(field)) slots.set(field, slot);
  }
  return slots;
}
