import type { Rule } from "../../../../shared/schemas/bot.ts";
import { OUT_OF_SCOPE } from "../../../../shared/schemas/nlu.ts";
import { offerHuman } from "./fallback.ts";
import { answerFromMessage, isValidAnswer } from "./form-answers.ts";
import { faqCanAnswer } from "./faq-answer.ts";
import { findRule } from "./rules.ts";
import { say } from "./responses.ts";
import { isFilled, revertSlot, setSlot } from "./slots.ts";
import { runFirstMatchingStep } from "./steps.ts";
import { normalizeAnswer } from "./text.ts";
import type { TurnContext } from "./types.ts";

const MAX_FORM_CHAIN = 5;

/** Activates a form and asks for its first missing slot (or completes it at once). */
export async function startForm(ctx: TurnContext, name: string): Promise<void> {
  if (!ctx.bot.definition.forms[name]) return;
  ctx.state.activeForm = { name, requestedSlot: null, invalidAttempts: 0 };
  await advanceForm(ctx);
}

/** Asks for the next missing slot; with none missing, closes the form and runs its `then`. */
async function advanceForm(ctx: TurnContext): Promise<void> {
  const active = ctx.state.activeForm;
  const form = active ? ctx.bot.definition.forms[active.name] : undefined;
  if (!active || !form) return;
  const missing = form.slots.find((formSlot) => !isFilled(ctx.state.slots[formSlot.slot]));
  if (missing) {
    active.requestedSlot = missing.slot;
    say(ctx, missing.ask);
    return;
  }
  ctx.state.activeForm = null;
  if (ctx.depth >= MAX_FORM_CHAIN) return;
  ctx.depth++;
  await runFirstMatchingStep(ctx, form.then);
}

/** Re-asks the slot the active form is waiting for (after an interruption was answered). */
export function repeatFormQuestion(ctx: TurnContext): void {
  const active = ctx.state.activeForm;
  const form = active ? ctx.bot.definition.forms[active.name] : undefined;
  const formSlot = form?.slots.find((candidate) => candidate.slot === active?.requestedSlot);
  if (formSlot) say(ctx, formSlot.ask);
}

/**
 * What a turn in an active form came to: the form handled it, or the message is not for the form
 * (another request) and the caller answers it, with the rule the form already found for it if any.
 */
export type FormTurn = { handled: true } | { handled: false; rule?: Rule | undefined };

const HANDLED: FormTurn = { handled: true };

/**
 * A turn while a form is active. Not handled when the message is not for the form (another
 * request the bot has a rule for): the caller answers it, then repeats the form's question.
 */
export async function continueForm(ctx: TurnContext): Promise<FormTurn> {
  const active = ctx.state.activeForm;
  const form = active ? ctx.bot.definition.forms[active.name] : undefined;
  if (!active || !form) {
    ctx.state.activeForm = null;
    return { handled: false };
  }
  // Entities may have (re)filled any of the form's slots this turn: keep the valid ones.
  let answered = false;
  let corrected = false;
  let invalidAnswer = false;
  for (const formSlot of form.slots) {
    if (!ctx.slotChanges.has(formSlot.slot)) continue;
    const value = ctx.state.slots[formSlot.slot];
    if (value === undefined || !isValidAnswer(ctx, formSlot, value)) {
      revertSlot(ctx, formSlot.slot);
      if (formSlot.slot === active.requestedSlot) invalidAnswer = true;
    } else if (formSlot.slot === active.requestedSlot) {
      answered = true;
    } else if (isFilled(ctx.slotChanges.get(formSlot.slot))) {
      corrected = true;
    }
  }
  const requested = form.slots.find((formSlot) => formSlot.slot === active.requestedSlot);
  const requestedSlot = requested ? ctx.bot.definition.slots[requested.slot] : undefined;
  if (!answered && requested && requestedSlot) {
    const value = answerFromMessage(ctx, requested, requestedSlot);
    if (value !== undefined && value !== null) {
      if (isValidAnswer(ctx, requested, value)) {
        setSlot(ctx, requested.slot, value);
        answered = true;
        invalidAnswer = false;
      } else {
        invalidAnswer = true;
      }
    }
  }
  if (answered || corrected) {
    if (corrected && form.corrected !== undefined) say(ctx, form.corrected);
    active.invalidAttempts = 0;
    await advanceForm(ctx);
    return HANDLED;
  }
  if (form.cancel && isCancel(ctx, form.cancel.intents, form.cancel.words)) {
    ctx.state.activeForm = null;
    say(ctx, form.cancel.response);
    return HANDLED;
  }
  if (!invalidAnswer) {
    const interruption = findInterruption(ctx);
    if (interruption) return { handled: false, rule: interruption.rule };
  }
  active.invalidAttempts++;
  if (active.invalidAttempts >= form.maxAttempts) {
    // The user is stuck: stop asking and offer a person instead.
    ctx.state.activeForm = null;
    offerHuman(ctx);
    return HANDLED;
  }
  say(ctx, requested?.invalid ?? requested?.ask ?? ctx.bot.definition.fallback.rephrase);
  return HANDLED;
}

function isCancel(ctx: TurnContext, intents: readonly string[], words: readonly string[]): boolean {
  if (intents.includes(ctx.intent)) return true;
  const answer = normalizeAnswer(ctx.input.text);
  return words.some((word) => normalizeAnswer(word) === answer);
}

/**
 * A request the bot has a rule for (returned with that rule), or a question its FAQ answers
 * confidently ("do you take Apple Pay?" while it waits for an order number; no rule looked up).
 * A yes/no belongs to the form. Undefined: the message is for the form.
 */
function findInterruption(ctx: TurnContext): { rule?: Rule } | undefined {
  const { definition } = ctx.bot;
  if (definition.affirmIntents.includes(ctx.intent) || definition.denyIntents.includes(ctx.intent)) return undefined;
  if (faqCanAnswer(ctx)) return {};
  if (ctx.intent === OUT_OF_SCOPE) return undefined;
  const rule = findRule(ctx);
  // A rule that would only restart this same form is not an interruption: "where is ORD-12" at
  // the order-number question is a bad answer, not a new request.
  return rule !== undefined && rule.intent !== "*" && rule.form !== ctx.state.activeForm?.name ? { rule } : undefined;
}
