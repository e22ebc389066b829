import type { FormSlot, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { scalarEquals } from "./conditions.ts";
import { coerceSlotValue, enumValueIn, enumValuesIn } from "./slots.ts";
import type { DeepReadonly, TurnView } from "./types.ts";
import { leadingYesOrNo } from "./yes-no.ts";

/**
 * What the message says for the slot a form asked for, beyond what entities already filled:
 * yes/no for a boolean, a value or synonym for an enum, an entity of the built-in type for
 * number/money/date, the whole message for free text.
 */
export function answerFromMessage(view: TurnView, formSlot: FormSlot, slot: SlotDefinition): SlotValue | undefined {
  const { definition } = view.bot;
  const text = view.input.text.trim();
  switch (slot.type) {
    case "boolean": {
      // A yes or no in the words the message starts with first ("nope, leave it as is", heard as nothing).
      const leading = leadingYesOrNo(view);
      if (leading !== undefined) return leading === "yes";
      if (definition.affirmIntents.includes(view.intent)) return true;
      if (definition.denyIntents.includes(view.intent)) return false;
      return undefined;
    }
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

/**
 * The enum value whose `ranges` entry holds the message's one number ("she's 78" → older_adult), or,
 * in a message without numbers, the hour of its one time of day ("送完孩子上学以后吧，九点多", a time of
 * 09:00 → morning where `morning: [7, 11]`).
 */
function valueInRange(view: TurnView, slot: SlotDefinition): string | undefined {
  if (slot.ranges === undefined) return undefined;
  const numbers = view.entities.flatMap((entity) => (entity.entity === "number" && typeof entity.value === "number" ? [entity.value] : []));
  const hours = view.entities.flatMap((entity) => {
    const hour = entity.entity === "datetime" && typeof entity.value === "string" ? HOUR_OF_TIME.exec(entity.value)?.[1] : undefined;
    return hour === undefined ? [] : [Number(hour)];
  });
  const said = numbers.length > 0 ? numbers : hours;
  const [value] = said;
  if (said.length !== 1 || value === undefined) return undefined;
  return Object.entries(slot.ranges).find(([, [low, high]]) => value >= low && value <= high)?.[0];
}

/** The hour of a datetime entity's value that has a time ("2026-12-08T09:00:00+00:00"; a date alone has none). */
const HOUR_OF_TIME = /^\d{4}-\d{2}-\d{2}T(\d{2}):/;

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
