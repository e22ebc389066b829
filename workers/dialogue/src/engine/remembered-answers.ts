/**
 * Remembered answers (bot.yaml: a slot's `remember: profile.<field>`): when a form is about to ask
 * for such a slot and the signed-in user's profile holds an answer (read when the conversation
 * started, the fields the bot may read), the bot offers it back instead ("Still a 10-year
 * horizon?"): a yes takes it, a no asks the question, another answer is taken as the answer. The
 * profile is written by the dialogue Worker after the turn (workers/dialogue/src/profile/).
 */
import { languageOf, PROFILE_PHRASES } from "../../../../shared/languages/index.ts";
import { rememberedField, type FormSlot } from "../../../../shared/schemas/bot.ts";
import { say, type Effect } from "./effects.ts";
import { formatSlotValue } from "./format.ts";
import { isValidAnswer } from "./form-answers.ts";
import { profileValue } from "./profile-values.ts";
import { reply } from "./responses.ts";
import { enumValueLabel } from "./slot-labels.ts";
import { coerceSlotValue } from "./slots.ts";
import type { TurnView } from "./types.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";

/** The response name of the platform's offer, when the form slot names no `confirm` response. */
export const PLATFORM_REMEMBERED_RESPONSE = "platform:remembered_answer";

/** The signed-in user's remembered answer for a slot, as the slot's value; undefined when the profile holds none (or none that fits). */
function rememberedValue(view: TurnView, slotName: string): NonNullable<SlotValue> | undefined {
  const slot = view.bot.definition.slots[slotName];
  const field = slot ? rememberedField(slot) : undefined;
  if (!slot || field === undefined) return undefined;
  const remembered = profileValue(view, field);
  if (remembered === undefined || remembered === null) return undefined;
  return coerceSlotValue(slot, structuredClone(remembered)) ?? undefined;
}

/** A step's `recall`: each remembered slot set to the user's answer from their profile, where it holds one. */
export function recalledSlots(view: TurnView, slots: readonly string[]): Effect[] {
  return slots.flatMap((slot) => {
    const value = rememberedValue(view, slot);
    return value === undefined ? [] : [{ type: "setSlot", slot, value } as const];
  });
}

/** The offer of the user's remembered answer for `formSlot`, or undefined to ask the question as usual. */
export function offerRemembered(view: TurnView, form: string, formSlot: FormSlot): Effect[] | undefined {
  const slot = view.bot.definition.slots[formSlot.slot];
  const value = rememberedValue(view, formSlot.slot);
  if (!slot || value === undefined || !isValidAnswer(view, formSlot, value)) return undefined;
  const offered: Effect = { type: "confirmSlot", form, slot: formSlot.slot, value, remembered: true };
  if (formSlot.confirm !== undefined) return [offered, say(formSlot.confirm)];
  const { definition } = view.bot;
  const shown = slot.type === "enum" && typeof value === "string" ? enumValueLabel(slot, value, view.locale, definition.defaultLocale) : formatSlotValue(value, slot.type, view.locale, view.input.timezone);
  const text = PROFILE_PHRASES[view.locale].rememberedOffer.replace("{value}", shown);
  return [offered, { type: "sayText", source: "platform", reply: reply(text, PLATFORM_REMEMBERED_RESPONSE, [...languageOf(view.locale).confirmQuickReplies]) }];
}
