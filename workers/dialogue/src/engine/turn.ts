import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { callAction } from "./actions.ts";
import { postbackEffects, tappedPostback } from "./cards.ts";
import { TurnApplier } from "./apply.ts";
import { heardAsYesOrNo, SURE_INTENT_CONFIDENCE, type Digression } from "./digressions.ts";
import { say, type Effect } from "./effects.ts";
import { answerFromFaq, answerFromFaqVouched, faqCanAnswer } from "./faq-answer.ts";
import { answerHumanOffer, fallBack, handOff } from "./fallback.ts";
import { answerFromKnowledge } from "./knowledge-answer.ts";
import { continueForm, formThen, nextFormStep, readsAsAnswer, resumeForm } from "./forms.ts";
import { recalledSlots } from "./remembered-answers.ts";
import { answerWithLlm } from "./llm.ts";
import { findRule, matchingContinueRules, ruleIntents } from "./rules.ts";
import { fillSlotsFromEntities, keepSlotsDuringAnswer } from "./slots.ts";
import { stepEffects } from "./steps.ts";
import type { Rule } from "../../../../shared/schemas/bot.ts";
import type { Bot, DeepReadonly, EngineDeps, TurnDecision, TurnInput, TurnView } from "./types.ts";
import type { Postback } from "../../../../shared/schemas/dialogue.ts";

/**
 * The turn's locale if the bot speaks it, else the bot's default. A message the detector could not
 * place — no words of its own ("ORD-4820193", "42") or only words its languages share ("no", "ok")
 * — keeps the conversation's last locale instead of the detector's fallback guess.
 */
export function replyLocale(bot: Bot, input: TurnInput): Locale {
  const { locales, defaultLocale } = bot.definition;
  const { locale, localeEvidence } = input.nlu;
  const unplaced = localeEvidence === "none" || localeEvidence === "ambiguous";
  if (unplaced && input.state.lastLocale !== null && locales.includes(input.state.lastLocale)) return input.state.lastLocale;
  return locales.includes(locale) ? locale : defaultLocale;
}

/**
 * One turn, in order: entities fill slots; `continue` rules add their replies (emergency advice);
 * the disclaimer once; a tap on a card's button (its postback, cards.ts); a request for a human; the
 * answer to a human offer; the active form (which
 * takes the message, or lets it interrupt: answered, then the form resumes); the first matching
 * rule (a canned reply the NLU is unsure of gives way to a confident FAQ answer); the FAQ; the bot's documents; the LLM (if configured); the fallback.
 *
 * Each step asks a deciding module for effects, given the turn so far (`turn.view`), and has the
 * applier apply them (apply.ts); nothing here or in those modules writes the turn's state.
 */
export async function decideTurn(bot: Bot, input: TurnInput, deps: EngineDeps): Promise<TurnDecision> {
  const turn = new TurnApplier(bot, input, deps, replyLocale(bot, input), followUp);
  const { view } = turn;
  const { definition } = bot;
  await turn.apply(fillSlotsFromEntities(view));
  for (const rule of matchingContinueRules(view)) await turn.apply(stepEffects(rule));
  const answeredByContinueRules = view.replies.length > 0;
  if (definition.disclaimer !== undefined && !view.state.disclaimerShown) {
    await turn.apply([say(definition.disclaimer), { type: "markDisclaimerShown" }]);
  }
  // A tap on a card's button is answered as that button, whatever the NLU made of its text.
  const postback = tappedPostback(view);
  if (postback) await answerPostback(turn, postback);
  else await answer(turn, answeredByContinueRules);
  return turn.finish();
}

/**
 * A tap on a card's button: the button's step (the product's details, add to cart). Inside a form it
 * is a side request: answered, then the form resumes where it was, unless the step started a form.
 */
async function answerPostback(turn: TurnApplier, postback: DeepReadonly<Postback>): Promise<void> {
  const { view } = turn;
  if (view.state.handoffOffered) await turn.apply([{ type: "closeHumanOffer", answer: "ignored" }]);
  await answerAside(turn, view.state.activeForm?.name, "rule", () => postbackEffects(view, postback));
}

/** What an applied effect leads to: a form's next question or completion, a form's `then`, an action's outcome, recalled values. */
function followUp(effect: Effect, view: TurnView): readonly Effect[] | Promise<readonly Effect[]> {
  if (effect.type === "startForm" || effect.type === "advanceForm") return nextFormStep(view);
  if (effect.type === "completeForm") return formThen(view, effect.form);
  if (effect.type === "callAction") return callAction(view, effect.action);
  if (effect.type === "recallSlots") return recalledSlots(view, effect.slots);
  return [];
}

const RESET_STREAK: Effect = { type: "resetFallbackStreak" };

async function answer(turn: TurnApplier, answeredByContinueRules: boolean): Promise<void> {
  const { view } = turn;
  const { definition } = view.bot;
  if (definition.handoff.intents.includes(view.intent) && !handoffDoubtedInForm(view)) return turn.apply(handOff(view));
  const offer = answerHumanOffer(view);
  if (offer) {
    await turn.apply(offer.effects);
    if (offer.answered) return;
  }
  const active = view.state.activeForm;
  if (active) {
    const formTurn = continueForm(view);
    // An answer to the form's question changes no slot it marks kept (`keepDuringAnswers`) but its own.
    await turn.apply(formTurn.handled ? [...keepSlotsDuringAnswer(view, active.name), ...formTurn.effects] : formTurn.effects);
    if (formTurn.handled) return turn.apply([RESET_STREAK]);
    if (formTurn.digression) return digress(turn, active.name, formTurn.digression);
  }
  const rule = findRule(view);
  if (rule && isYesOrNoToNothing(view, rule)) return turn.apply(fallBack(view));
  if (rule && !givesWayToFaq(view, rule)) await turn.apply(stepEffects(rule));
  else {
    // The FAQ when it is sure, the documents when they are, the FAQ when the NLU vouches for the question.
    const answered = answerFromFaq(view) ?? (await answerFromKnowledge(view)) ?? answerFromFaqVouched(view, false) ?? (await answerWithLlm(view));
    if (answered) await turn.apply(answered);
    else if (!answeredByContinueRules) return turn.apply(fallBack(view));
  }
  await turn.apply([RESET_STREAK]);
}

/**
 * A yes or no right after the bot asked to rephrase (the fallback streak is running) answers no
 * question the bot asked: it is another miss, so the misses still add up to the offer of a person
 * (an interjection heard as a yes, "ok"), rather than the bot's general reply to a yes or no
 * ("anything else?") starting the count again. Only a rule that is nothing but that general reply
 * (no conditions); a yes or no with more in it ("no, I meant Tesla", a company named) still runs
 * its rule.
 */
function isYesOrNoToNothing(view: TurnView, rule: Rule): boolean {
  const { affirmIntents, denyIntents } = view.bot.definition;
  const yesNo = [...affirmIntents, ...denyIntents];
  const intents = ruleIntents(rule);
  return view.state.fallbackStreak > 0 && rule.when === undefined && intents.length > 0 && intents.every((intent) => yesNo.includes(intent));
}

/**
 * A rule that only says something (a canned reply: shipping in general, thanks, a greeting), for an
 * intent the NLU is unsure of (below `digressions.minConfidence`), gives way to the FAQ when the FAQ
 * is confident on its own: the FAQ's confidence is how much of the message a stored question covers,
 * so it is the more specific reading ("cuanto tiempo tarda en llegar el reembolso" heard as shipping
 * at 0.55 is the refund-timing entry). A rule that does more — an action, a form, an offer of a
 * person — or a yes or no, keeps the turn: those are requests the FAQ cannot carry out. So does a
 * rule marked `interrupt: always` (the health line's emergency reply: "我呼吸困南，很难受" heard as an
 * emergency at 0.75 must not get a page on when to see a doctor).
 */
function givesWayToFaq(view: TurnView, rule: Rule): boolean {
  if (rule.action !== undefined || rule.form !== undefined || rule.offerHuman === true || rule.interrupt === "always" || heardAsYesOrNo(view)) return false;
  return view.input.nlu.intent.confidence < view.bot.definition.digressions.minConfidence && faqCanAnswer(view);
}

/**
 * A request for a person inside a form that the NLU is not sure of (below `digressions.minConfidence`,
 * or below SURE_INTENT_CONFIDENCE when the form reads the message as an answer): answers inside
 * forms are often misheard as other intents at 0.6–0.9 ("to talk through my blood work" at the
 * reason question), so the form reads the message first, as it does for any other intent at that
 * confidence; a real request, or one repeated, still reaches a person (a clear one hands off, and a
 * form stuck on unusable answers offers a person).
 */
function handoffDoubtedInForm(view: TurnView): boolean {
  if (view.state.activeForm === null) return false;
  const { confidence } = view.input.nlu.intent;
  // Below the sure level, a message the form reads as an answer (a value, or one in free words) is one.
  return confidence < view.bot.definition.digressions.minConfidence || (confidence < SURE_INTENT_CONFIDENCE && readsAsAnswer(view));
}

/**
 * A message that interrupts the active form is answered (a rule's steps, the FAQ; a continue rule
 * has answered already), then the form resumes where it was — unless the answer started a form,
 * this one again or another (the user switched to a new request), or ended this one.
 */
async function digress(turn: TurnApplier, form: string, digression: Digression): Promise<void> {
  const { view } = turn;
  await answerAside(turn, form, digression.by, () => {
    if (digression.by === "rule") return stepEffects(digression.rule);
    if (digression.by === "faq") return answerFromFaqVouched(view, true) ?? [];
    return [];
  });
}

/**
 * A side request inside `form` (when one is active): the form is marked interrupted, the request's
 * effects (worked out once that is applied) are applied, and the form resumes where it was if it is
 * still waiting; the fallback streak starts again.
 */
async function answerAside(turn: TurnApplier, form: string | undefined, by: Digression["by"], effects: () => readonly Effect[]): Promise<void> {
  const { view } = turn;
  const since = view.effects.length;
  if (form !== undefined) await turn.apply([{ type: "interruptForm", form, by }]);
  await turn.apply(effects());
  if (form !== undefined && formStillWaiting(view, form, since)) await turn.apply(resumeForm(view));
  await turn.apply([RESET_STREAK]);
}

/** The form active before is still active, and was not started anew since (that asks its own question). */
function formStillWaiting(view: TurnView, form: string, since: number): boolean {
  return view.state.activeForm?.name === form && !view.effects.slice(since).some((effect) => effect.type === "startForm");
}
