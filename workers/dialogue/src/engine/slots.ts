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
      if (typeof raw !== "string") return undefined;
      return slot.multiple === true ? enumValuesIn(slot, raw.split(","), true) : enumValueIn(slot, raw, true);
    case "boolean":
      return typeof raw === "boolean" ? raw : undefined;
  }
}

/**
 * The enum value a text means: the value itself or one of its synonyms. `exact` requires the
 * whole text to be it (entity values); otherwise the text need only contain it (form answers), and
 * when it contains terms of several values the longest term wins — the more specific one: "体检报告"
 * (a check-up's report, test results) holds 体检 (a check-up) too — then the first in the slot's
 * `values` order.
 */
export function enumValueIn(slot: SlotDefinition, text: string, exact: boolean): string | undefined {
  const normalized = normalizeText(text);
  let best: { value: string; length: number } | undefined;
  for (const value of slot.values ?? []) {
    const length = valueNamedIn(slot, value, normalized, exact);
    if (length === undefined) continue;
    if (exact) return value;
    if (best === undefined || length > best.length) best = { value, length };
  }
  return best?.value;
}

/**
 * A multiple-choice enum slot's value: every value the texts mean, comma-separated in the order of
 * the slot's `values`, its `none` value left out when another is named; undefined when none is.
 * `exact`: each text must be a value or synonym (a stored value's parts); otherwise the texts are
 * searched (a form answer).
 */
export function enumValuesIn(slot: SlotDefinition, texts: readonly string[], exact: boolean): string | undefined {
  const normalizedTexts = texts.map((text) => normalizeText(text));
  const named = (slot.values ?? []).filter((value) => normalizedTexts.some((text) => valueNamedIn(slot, value, text, exact) !== undefined));
  const values = named.length > 1 && slot.none !== undefined ? named.filter((value) => value !== slot.none) : named;
  return values.length === 0 ? undefined : values.join(",");
}

/**
 * Whether a text (already normalised) names one enum value — the value, its words, or a synonym —
 * and how specifically: the length of the longest such term it contains, or with `exact` its own
 * length when it is one of them; undefined when it does not name the value.
 */
function valueNamedIn(slot: SlotDefinition, value: string, normalizedText: string, exact: boolean): number | undefined {
  const terms = [value, value.replace(/_/g, " "), ...(slot.synonyms?.[value] ?? [])];
  if (exact) return terms.some((term) => normalizeText(term) === normalizedText) ? [...normalizedText].length : undefined;
  let longest: number | undefined;
  for (const term of terms) {
    const length = [...normalizeText(term)].length;
    if ((longest === undefined || length > longest) && containsTerm(normalizedText, term)) longest = length;
  }
  return longest;
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
 * Fills every slot mapped to an entity found in this message (the first such entity wins, unless
 * the message also names the slot's value: then the other one). The applier records what changed,
 * so a form can treat it as an answer or a correction.
 */
export function fillSlotsFromEntities(view: TurnView): Effect[] {
  const effects: Effect[] = [];
  for (const [name, slot] of Object.entries(view.bot.definition.slots)) {
    if (slot.entity.length === 0) continue;
    const values = view.entities.flatMap((entity) => {
      const value = slot.entity.includes(entity.entity) ? coerceSlotValue(slot, entity.value) : undefined;
      return value === undefined || value === null ? [] : [value];
    });
    // The first value named — but a message that names the slot's value and another changes it to
    // the other ("sorry not aspirin, i meant paracetamol" while aspirin is asked about).
    const held = view.state.slots[name];
    const changed = values.length > 1 && values.some((value) => sameSlotValue(value, held)) ? values.find((value) => !sameSlotValue(value, held)) : undefined;
    const value = changed ?? values[0];
    if (value !== undefined) effects.push({ type: "setSlot", slot: name, value });
  }
  return effects;
}

/**
 * The message answers the active form (`form`): slots marked `keepDuringAnswers` that are not the
 * form's go back to their value before this turn's entities ("warfarin" answering "which medicines
 * do you take?" does not change the medicine asked about).
 */
export function keepSlotsDuringAnswer(view: TurnView, form: string): Effect[] {
  const formSlots = new Set(view.bot.definition.forms[form]?.slots.map((formSlot) => formSlot.slot) ?? []);
  return [...view.slotChanges.keys()]
    .filter((name) => view.bot.definition.slots[name]?.keepDuringAnswers === true && !formSlots.has(name))
    .map((slot) => ({ type: "rejectSlot", slot }));
}
