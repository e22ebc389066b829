import type { FormSlot, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { scalarEquals } from "./conditions.ts";
import { coerceSlotValue, enumValueIn, enumValuesIn } from "./slots.ts";
import type { DeepReadonly, TurnView } from "./types.ts";

/**
 * What the message says for the slot a form asked for, beyond what entities already filled:
 * yes/no for a boolean, a value or synonym for an enum, an entity of the built-in type for
 * number/money/date, the whole message for free text.
 */
export function answerFromMessage(view: TurnView, formSlot: FormSlot, slot: SlotDefinition): SlotValue | undefined {
  const { definition } = view.bot;
  const text = view.input.text.trim();
  switch (slot.type) {
    case "boolean":
      if (definition.affirmIntents.includes(view.intent)) return true;
      if (definition.denyIntents.includes(view.intent)) return false;
      return undefined;
    case "enum":
      return slot.multiple === true ? enumValuesIn(slot, [text], false) : (enumValueIn(slot, text, false) ?? valueInRange(view, slot));
    case "number":
      return fromBuiltInEntity(view, slot, "number") ?? coerceSlotValue(slot, text);
    case "money":
      return fromBuiltInEntity(view, slot, "money");
    case "date":
      return fromBuiltInEntity(view, slot, "datetime");
    case "text":
      // A slot fed by an entity takes the whole message only if it passes the form's regex:
      // otherwise "no idea" would become an order number.
      if (slot.entity.length > 0) {
        // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
        return formSlot.validate?.regex !== undefined && new RegExp(formSlot.validate.regex, "iu").test(text) ? text : undefined;
      }
      return text === "" ? undefined : text;
  }
}

/** The enum value whose `ranges` entry holds the message's one number ("she's 78" → older_adult). */
function valueInRange(view: TurnView, slot: SlotDefinition): string | undefined {
  if (slot.ranges === undefined) return undefined;
  const numbers = view.entities.filter((entity) => entity.entity === "number" && typeof entity.value === "number");
  const [number] = numbers;
  if (numbers.length !== 1 || typeof number?.value !== "number") return undefined;
  const { value } = number;
  return Object.entries(slot.ranges).find(([, [low, high]]) => value >= low && value <= high)?.[0];
}

function fromBuiltInEntity(view: TurnView, slot: SlotDefinition, entity: string): SlotValue | undefined {
  const found = view.entities.find((candidate) => candidate.entity === entity);
  return found ? coerceSlotValue(slot, found.value) : undefined;
}

/** Does a candidate value pass the form slot's validation? */
export function isValidAnswer(view: TurnView, formSlot: FormSlot, value: DeepReadonly<SlotValue>): boolean {
  const rules = formSlot.validate;
  if (!rules) return true;
  if (rules.regex !== undefined) {
    // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
    if (typeof value !== "string" || !new RegExp(rules.regex, "iu").test(value)) return false;
  }
  if (rules.enum !== undefined && !rules.enum.some((allowed) => scalarEquals(value, allowed))) return false;
  if (rules.entity !== undefined && !view.entities.some((entity) => entity.entity === rules.entity)) return false;
  const number = typeof value === "number" ? value : typeof value === "object" && value !== null ? value.amount : undefined;
  if (rules.min !== undefined && (number === undefined || number < rules.min)) return false;
  if (rules.max !== undefined && (number === undefined || number > rules.max)) return false;
  return true;
}
