import type { Rule } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { OUT_OF_SCOPE } from "../../../../shared/schemas/nlu.ts";
import { say, type Effect } from "./effects.ts";
import { offerHuman } from "./fallback.ts";
import { answerFromMessage, isValidAnswer } from "./form-answers.ts";
import { faqCanAnswer } from "./faq-answer.ts";
import { findRule } from "./rules.ts";
import { isFilled } from "./slots.ts";
import { firstMatchingStep } from "./steps.ts";
import { normalizeAnswer } from "./text.ts";
import type { DeepReadonly, TurnView } from "./types.ts";

/** What a form does once started or advanced: ask for its first missing slot, or complete. */
export function nextFormStep(view: TurnView): Effect[] {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  if (!active || !form) return [];
  const missing = form.slots.find((formSlot) => !isFilled(view.state.slots[formSlot.slot]));
  if (missing) return [{ type: "requestSlot", form: active.name, slot: missing.slot }, say(missing.ask)];
  return [{ type: "completeForm", form: active.name }];
}

/** What a completed form does: the first step of its `then` whose condition holds. */
export function formThen(view: TurnView, name: string): Effect[] {
  const form = view.bot.definition.forms[name];
  return form ? firstMatchingStep(view, form.then) : [];
}

/** Re-asks the slot the active form is waiting for (after an interruption was answered). */
export function repeatFormQuestion(view: TurnView): Effect[] {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  const formSlot = form?.slots.find((candidate) => candidate.slot === active?.requestedSlot);
  return formSlot ? [say(formSlot.ask)] : [];
}

/**
 * What a turn in an active form came to: its effects, and whether the form handled the message or
 * it is not for the form (another request) and the caller answers it, with the rule the form
 * already found for it if any.
 */
export type FormTurn = { effects: Effect[] } & ({ handled: true } | { handled: false; rule?: Rule | undefined });

/**
 * A turn while a form is active. Not handled when the message is not for the form (another
 * request the bot has a rule for): the caller answers it, then repeats the form's question.
 */
export function continueForm(view: TurnView): FormTurn {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  if (!active || !form) {
    return { handled: false, effects: active ? [{ type: "cancelForm", form: active.name, reason: "undefined" }] : [] };
  }
  const effects: Effect[] = [];
  // Entities may have (re)filled any of the form's slots this turn: keep the valid ones, reject
  // the others.
  const rejected: string[] = [];
  let answered = false;
  let corrected = false;
  let invalidAnswer = false;
  for (const formSlot of form.slots) {
    if (!view.slotChanges.has(formSlot.slot)) continue;
    const value = view.state.slots[formSlot.slot];
    if (value === undefined || !isValidAnswer(view, formSlot, value)) {
      effects.push({ type: "rejectSlot", slot: formSlot.slot });
      rejected.push(formSlot.slot);
      if (formSlot.slot === active.requestedSlot) invalidAnswer = true;
    } else if (formSlot.slot === active.requestedSlot) {
      answered = true;
    } else if (isFilled(view.slotChanges.get(formSlot.slot))) {
      corrected = true;
    }
  }
  const requested = form.slots.find((formSlot) => formSlot.slot === active.requestedSlot);
  const requestedSlot = requested ? view.bot.definition.slots[requested.slot] : undefined;
  if (!answered && requested && requestedSlot) {
    const value = answerFromMessage(view, requested, requestedSlot);
    if (value !== undefined && value !== null) {
      if (isValidAnswer(view, requested, value)) {
        effects.push({ type: "setSlot", slot: requested.slot, value });
        answered = true;
        invalidAnswer = false;
      } else {
        invalidAnswer = true;
      }
    }
  }
  if (answered || corrected) {
    if (corrected && form.corrected !== undefined) effects.push(say(form.corrected));
    effects.push({ type: "advanceForm", form: active.name });
    return { handled: true, effects };
  }
  if (form.cancel && isCancel(view, form.cancel.intents, form.cancel.words)) {
    effects.push({ type: "cancelForm", form: active.name, reason: "user" }, say(form.cancel.response));
    return { handled: true, effects };
  }
  if (!invalidAnswer) {
    // The rule lookup sees the slots as they will be once the rejections are applied.
    const interruption = findInterruption({ ...view, state: { ...view.state, slots: slotsAfterRejecting(view, rejected) } });
    if (interruption) return { handled: false, rule: interruption.rule, effects };
  }
  if (active.invalidAttempts + 1 >= form.maxAttempts) {
    // The user is stuck: stop asking and offer a person instead.
    effects.push({ type: "cancelForm", form: active.name, reason: "stuck" }, ...offerHuman(view));
    return { handled: true, effects };
  }
  effects.push(
    { type: "invalidFormAnswer", form: active.name, slot: active.requestedSlot },
    say(requested?.invalid ?? requested?.ask ?? view.bot.definition.fallback.rephrase),
  );
  return { handled: true, effects };
}

/** The turn's slots with each rejected one back to its value before this turn (or unset). */
function slotsAfterRejecting(view: TurnView, rejected: readonly string[]): DeepReadonly<Record<string, SlotValue>> {
  const kept = Object.entries(view.state.slots).filter(([name]) => !rejected.includes(name));
  const restored = rejected.flatMap((name) => {
    const previous = view.slotChanges.get(name);
    return previous === undefined ? [] : [[name, previous] as const];
  });
  return Object.fromEntries([...kept, ...restored]);
}

function isCancel(view: TurnView, intents: readonly string[], words: readonly string[]): boolean {
  if (intents.includes(view.intent)) return true;
  const answer = normalizeAnswer(view.input.text);
  return words.some((word) => normalizeAnswer(word) === answer);
}

/**
 * A request the bot has a rule for (returned with that rule), or a question its FAQ answers
 * confidently ("do you take Apple Pay?" while it waits for an order number; no rule looked up).
 * A yes/no belongs to the form. Undefined: the message is for the form.
 */
function findInterruption(view: TurnView): { rule?: Rule } | undefined {
  const { definition } = view.bot;
  if (definition.affirmIntents.includes(view.intent) || definition.denyIntents.includes(view.intent)) return undefined;
  if (faqCanAnswer(view)) return {};
  if (view.intent === OUT_OF_SCOPE) return undefined;
  const rule = findRule(view);
  // A rule that would only restart this same form is not an interruption: "where is ORD-12" at
  // the order-number question is a bad answer, not a new request.
  return rule !== undefined && rule.intent !== "*" && rule.form !== view.state.activeForm?.name ? { rule } : undefined;
}
