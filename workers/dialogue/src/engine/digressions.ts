/**
 * Digressions: a message inside a form that is not for the form — a side question the FAQ answers,
 * another request the bot has a rule for, an emergency. It is answered and the form resumes where
 * it was (turn.ts, forms.ts `resumeForm`). What may interrupt which form is the bot's to say:
 * `interruptible: false` on a form, `interrupt: always | never` on a rule, `digressions.minConfidence`
 * for the intent (shared/schemas/bot.ts; docs/bots.md, "Digressions").
 */
import type { Form, FormSlot, Rule, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import { OUT_OF_SCOPE } from "../../../../shared/schemas/nlu.ts";
import { faqCanAnswerVouched } from "./faq-answer.ts";
import { tokenize } from "./faq/tokenize.ts";
import { findRule, matchingContinueRules } from "./rules.ts";
import type { TurnView } from "./types.ts";

/**
 * From this NLU confidence on, a rule's intent interrupts a form even when the message also reads
 * as an answer in free words (forms.ts), and a request for a person hands off even then (turn.ts):
 * answers in the user's own words are often heard as other intents at 0.5–0.9, real side requests
 * score above it. Chosen on the development dialogues (bench/dialogue-dev/).
 */
export const SURE_INTENT_CONFIDENCE = 0.95;

/**
 * What answers a message that interrupts a form, and how sure the bot is that the message is that
 * (0–1: the intent's confidence, the FAQ's; 1 for what always interrupts), to weigh it against
 * reading the message as an answer in free words.
 */
export type Digression = {
  confidence: number;
  /**
   * A continue rule marked `interrupt: always` matched (emergency words): the message is not for the
   * form, whatever else it says, and the form is open to a rule or the FAQ this turn.
   */
  forced: boolean;
} & (
  /** A rule for the message's intent (its steps run; one that starts another form switches to it). */
  | { by: "rule"; rule: Rule }
  /** The FAQ, confidently. */
  | { by: "faq" }
  /** A continue rule marked `interrupt: always` has answered already (emergency advice); nothing else does. */
  | { by: "continueRule" }
);

/** Is the message's intent one of the bot's yes or no intents? */
export function heardAsYesOrNo(view: TurnView): boolean {
  const { affirmIntents, denyIntents } = view.bot.definition;
  return affirmIntents.includes(view.intent) || denyIntents.includes(view.intent);
}

/** Did a continue rule marked `interrupt: always` match this turn? Then the form does not take the message. */
export function continueRuleInterrupts(view: TurnView): boolean {
  return matchingContinueRules(view).some((rule) => rule.interrupt === "always");
}

/**
 * Whether the message interrupts the active form `formName`, and what answers it. A yes or no
 * belongs to the form, never to the rules for yes and no (those answer a yes outside a form); when
 * the form did not ask a yes/no question (`yesNoQuestion`: a boolean slot, or "That sounds like … —
 * right?"), the message may still be a side question the FAQ answers ("ok, and can I open an account
 * online?" heard as a yes). A rule that would only start this same form again is a bad answer, not a
 * new request ("where is ORD-12" at the order-number question); a catch-all (`"*"`) rule never interrupts.
 * A rule marked `interrupt: always` interrupts any form at any confidence; otherwise an interruptible
 * form (or one a continue rule already interrupted this turn) lets a rule interrupt when the intent
 * is confident enough — except that a confident FAQ answer wins over a rule that would switch to
 * another form asking the same question — else a confident FAQ answer.
 */
export function findDigression(view: TurnView, formName: string, form: Form, yesNoQuestion: boolean): Digression | undefined {
  const { definition } = view.bot;
  const forced = continueRuleInterrupts(view);
  const open = form.interruptible || forced;
  const yesOrNo = heardAsYesOrNo(view);
  if (!(yesOrNo && yesNoQuestion)) {
    const rule = yesOrNo ? undefined : findRule(view);
    // Once a continue rule has answered (emergency advice), the FAQ adds nothing to it.
    const faq = !forced && faqCanAnswerVouched(view, true) ? { by: "faq" as const, confidence: view.faqMatches()[0]?.confidence ?? 0, forced } : undefined;
    if (rule !== undefined && rule.intent !== "*" && rule.form !== formName && rule.interrupt !== "never") {
      if (rule.interrupt === "always") return { by: "rule", rule, confidence: 1, forced };
      const { confidence } = view.input.nlu.intent;
      const confident = view.intent !== OUT_OF_SCOPE && confidence >= definition.digressions.minConfidence;
      // A rule that starts another form asking what this one asks would drop this form to ask the
      // same again: a question the FAQ answers is answered in place instead ("how long do refunds
      // take?", heard as a refund, while a return asks for the order number). A request for a form
      // that asks other things is one ("I'd rather he sees a doctor, can I book him in?" while a
      // medicine question asks who it is for): it switches, though the FAQ has a page on it.
      const asksTheSame = rule.form !== undefined && formAsks(definition.forms[rule.form], view.state.activeForm?.requestedSlot);
      if (open && confident && !(asksTheSame && faq)) return { by: "rule", rule, confidence, forced };
    }
    if (open && faq) return faq;
  }
  return forced ? { by: "continueRule", confidence: 1, forced } : undefined;
}

/** Does `form` ask for `slot`? */
function formAsks(form: Form | undefined, slot: string | null | undefined): boolean {
  return form !== undefined && slot !== null && slot !== undefined && form.slots.some((formSlot) => formSlot.slot === slot);
}

/**
 * Is the message nothing but entities, one of which could answer the requested slot ("ORD-12" at
 * the order-number question, "42" at a number question)? Such a reply stays in the form — a valid
 * or an invalid answer — and is never taken as a side question.
 */
export function isEntityOnlyReply(view: TurnView, formSlot: FormSlot, slot: SlotDefinition): boolean {
  const fitting = view.entities.filter(
    (entity) => slot.entity.includes(entity.entity) || entity.entity === formSlot.validate?.entity || entity.entity === BUILT_IN_ENTITY[slot.type],
  );
  if (fitting.length === 0) return false;
  // What is left must have no words of its own (the FAQ's tokens leave out "it's", "the", "是" …).
  return tokenize(textWithoutEntities(view), view.locale).length === 0;
}

/** The message with its entities cut out (each replaced by a space). */
export function textWithoutEntities(view: TurnView): string {
  let rest = view.input.text;
  // Cut the entities out from the end, so earlier offsets stay valid.
  for (const entity of [...view.entities].sort((a, b) => b.start - a.start)) {
    rest = rest.slice(0, entity.start) + " " + rest.slice(entity.end);
  }
  return rest;
}

/** Is a slot of this definition answered by an entity: its own, or the built-in one of its type? */
export function answeredByEntity(slot: SlotDefinition): boolean {
  return slot.entity.length > 0 || BUILT_IN_ENTITY[slot.type] !== undefined;
}

/** The built-in entity that answers a slot of each type (form-answers.ts reads the same ones). */
const BUILT_IN_ENTITY: Partial<Record<SlotDefinition["type"], string>> = { number: "number", money: "money", date: "datetime" };
