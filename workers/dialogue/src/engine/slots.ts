import type { SlotDefinition } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { MoneyValueSchema } from "../../../../shared/schemas/nlu.ts";
import { containsTerm, normalizeText } from "./text.ts";
import type { Effect } from "./effects.ts";
import type { DeepReadonly, TurnView } from "./types.ts";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Converts a raw value (an entity's, an action answer's) to the slot's type,
 * or undefined when it cannot be one (a word for a number slot, an unknown enum value).
 */
export function coerceSlotValue(slot: SlotDefinition, raw: unknown): SlotValue | undefined {
  if (raw === null) return null;
  switch (slot.type) {
    case "text":
      if (typeof raw === "string") return raw.trim();
      if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
      if (Array.isArray(raw)) return raw.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(", ");
      return raw === undefined ? undefined : JSON.stringify(raw);
    case "number": {
      const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      return Number.isFinite(number) ? number : undefined;
    }
    case "money": {
      const money = MoneyValueSchema.safeParse(raw);
      return money.success ? money.data : undefined;
    }
    case "date":
      return typeof raw === "string" && ISO_DATE.test(raw) ? raw : undefined;
    case "enum":
      return typeof raw === "string" ? enumValueIn(slot, raw, true) : undefined;
    case "boolean":
      return typeof raw === "boolean" ? raw : undefined;
  }
}

/**
 * The enum value a text means: the value itself or one of its synonyms. `exact` requires the
 * whole text to be it (entity values); otherwise the text need only contain it (form answers).
 */
export function enumValueIn(slot: SlotDefinition, text: string, exact: boolean): string | undefined {
  const normalized = normalizeText(text);
  for (const value of slot.values ?? []) {
    const terms = [value, value.replace(/_/g, " "), ...(slot.synonyms?.[value] ?? [])];
    const hit = exact
      ? terms.some((term) => normalizeText(term) === normalized)
      : terms.some((term) => containsTerm(normalized, term));
    if (hit) return value;
  }
  return undefined;
}

/** Equal slot values: money by amount and currency, text case-insensitively. */
export function sameSlotValue(a: DeepReadonly<SlotValue> | undefined, b: DeepReadonly<SlotValue> | undefined): boolean {
  if (a === b) return true;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    return a.amount === b.amount && a.currency === b.currency;
  }
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return false;
}

export function isFilled(value: DeepReadonly<SlotValue> | undefined): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * Fills every slot mapped to an entity found in this message (the first such entity wins). The
 * applier records what changed, so a form can treat it as an answer or a correction.
 */
export function fillSlotsFromEntities(view: TurnView): Effect[] {
  const effects: Effect[] = [];
  for (const [name, slot] of Object.entries(view.bot.definition.slots)) {
    if (slot.entity.length === 0) continue;
    for (const entity of view.entities) {
      if (!slot.entity.includes(entity.entity)) continue;
      const value = coerceSlotValue(slot, entity.value);
      if (value === undefined || value === null) continue;
      effects.push({ type: "setSlot", slot: name, value });
      break;
    }
  }
  return effects;
}
