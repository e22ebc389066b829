import type { Form, FormSlot, Rule, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { charStandsAlone, LANGUAGES, languageOf, LOCALES } from "../../../../shared/languages/index.ts";
import { answeredByEntity, findDigression, heardAsYesOrNo, isEntityOnlyReply, SURE_INTENT_CONFIDENCE, textWithoutEntities, type Digression } from "./digressions.ts";
import { say, type Effect } from "./effects.ts";
import { offerHuman } from "./fallback.ts";
import { answerFromMessage, isValidAnswer } from "./form-answers.ts";
import { enumLabel, judgeFreeWords, matchCategories, type FreeWordsAnswer } from "./free-words.ts";
import { offerRemembered } from "./remembered-answers.ts";
import { platformConfirmation } from "./responses.ts";
import { coerceSlotValue, enumValueIn, isFilled, sameSlotValue } from "./slots.ts";
import { findRule } from "./rules.ts";
import { firstMatchingStep, stepEffects } from "./steps.ts";
import { tokenize } from "./faq/tokenize.ts";
import { asksSomething, containsTerm, isQuestion, normalizeAnswer, normalizeText } from "./text.ts";
import type { DeepReadonly, TurnView } from "./types.ts";
import { leadingYesOrNo } from "./yes-no.ts";

/** What a form does once started or advanced: ask for its first missing slot, or complete. */
export function nextFormStep(view: TurnView): Effect[] {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  if (!active || !form) return [];
  const missing = form.slots.find((formSlot) => !isFilled(view.state.slots[formSlot.slot]));
  if (missing) return [{ type: "requestSlot", form: active.name, slot: missing.slot }, ...(offerRemembered(view, active.name, missing) ?? [say(missing.ask)])];
  return [{ type: "completeForm", form: active.name }];
}

/** What a completed form does: the first step of its `then` whose condition holds. */
export function formThen(view: TurnView, name: string): Effect[] {
  const form = view.bot.definition.forms[name];
  return form ? firstMatchingStep(view, form.then) : [];
}

/**
 * The active form goes on after an interruption was answered: it asks again for its first missing
 * slot, behind the resume line ("Back to your return: which order is it?"), or completes if the
 * interruption filled the last one.
 */
export function resumeForm(view: TurnView): Effect[] {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  if (!active || !form) return [];
  const missing = form.slots.find((formSlot) => !isFilled(view.state.slots[formSlot.slot]));
  return missing ? [{ type: "resumeForm", form: active.name, slot: missing.slot }] : [{ type: "advanceForm", form: active.name }];
}

/**
 * What a turn in an active form came to: its effects, and whether the form handled the message or
 * the message interrupts it (a digression: the caller answers it and resumes the form). Neither:
 * the form no longer exists and the turn goes on as if none were active.
 */
export type FormTurn = { effects: Effect[] } & ({ handled: true } | { handled: false; digression?: Digression | undefined });

/**
 * A turn while a form is active, in this order: entity values that answer the question or correct
 * another of the form's slots; emergency words (a continue rule marked `interrupt: always`: the
 * message is not for the form); the answer read
 * from the message (a value, a synonym, yes/no, a number …; not from a side question the NLU is sure
 * of, written as a question: `sureQuestionAside`; nor a choice named while dropping the task in cancel
 * words: `dropsTaskInWords`); a yes or no to the bot's "That sounds
 * like … — right?"; a cancel word (a cancel phrase in a longer message that also asks something the
 * bot answers: the form is dropped and that is answered); an answer in free words the bot is sure of (unless the message is
 * more surely a side question); a rule marked `interrupt: always` (which, when the message also
 * answered the question, was said in front of the next question instead); a cancel intent ("no":
 * `noCancels`); a
 * side question or other request (a digression: not handled here); a free-words answer the bot is
 * unsure of, which it asks about; else an invalid answer, asked again (and after `maxAttempts` in a
 * row, a person offered).
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
  if (answered || corrected) {
    // "scratch that, where is ORD-4820193?" at the return's order-number question: a whole new
    // request that carries the order, not an answer to this form.
    const newTask = switchesTask(view, active.name, form, answered);
    if (newTask) return { handled: false, digression: newTask, effects };
    if (corrected && form.corrected !== undefined) effects.push(say(form.corrected));
    effects.push({ type: "advanceForm", form: active.name });
    return { handled: true, effects };
  }
  // The rule lookups see the slots as they will be once the rejections are applied.
  const settled: TurnView = { ...view, state: { ...view.state, slots: slotsAfterRejecting(view, rejected) } };
  const { requested, requestedSlot } = requestedSlotOf(view, form);
  const yesNoQuestion = requestedSlot?.type === "boolean" || active.confirming !== null;
  const found = findDigression(settled, active.name, form, yesNoQuestion);
  // Emergency words: the message is not for the form, whatever else it says.
  if (found?.forced) return { handled: false, digression: found, effects };
  // A rule marked `always` interrupts; if the message also clearly answers the question, the form
  // takes the answer after the rule's reply (the NLU may call "my knee is swollen" an emergency) —
  // without it when the NLU was unsure of that intent (`alwaysYieldsToAnswer`).
  const always = found?.by === "rule" && found.rule.interrupt === "always" ? found : undefined;
  const takeAnswer = (slot: string, value: SlotValue): FormTurn => {
    const first: Effect[] = always && !alwaysYieldsToAnswer(view) ? [{ type: "interruptForm", form: active.name, by: "rule" }, ...stepEffects(always.rule)] : [];
    return { handled: true, effects: [...effects, ...first, { type: "setSlot", slot, value }, { type: "advanceForm", form: active.name }] };
  };
  if (requested && requestedSlot) {
    const confirmation = answerToConfirmation(view, active.confirming, requested.slot);
    // A bare yes or no to "Still …?" answers that question, not the slot's: a yes/no slot, or an enum
    // whose "none" is a no, would read it as a new answer ("no" to "Still kidney disease?" is not "none").
    const confirmedFirst = confirmation !== undefined && (requestedSlot.type === "boolean" || isBareYesNo(view.input.text));
    const named = !confirmedFirst && !sureQuestionAside(view, found, active.name) && !dropsTaskInWords(view, form, requestedSlot, yesNoQuestion, found);
    const value = named ? answerFromMessage(view, requested, requestedSlot) : undefined;
    if (value !== undefined && value !== null) {
      if (isValidAnswer(view, requested, value)) return takeAnswer(requested.slot, value);
      invalidAnswer = true;
    }
    if (confirmation === "yes" && active.confirming) {
      effects.push({ type: "setSlot", slot: requested.slot, value: active.confirming.value }, { type: "advanceForm", form: active.name });
      return { handled: true, effects };
    }
    // A no to a remembered answer is no mistake: the question is asked as it would have been.
    if (confirmation === "no" && active.confirming?.remembered) {
      return { handled: true, effects: [...effects, { type: "requestSlot", form: active.name, slot: requested.slot }, say(requested.ask)] };
    }
    if (confirmation === "no") return { handled: true, effects: [...effects, ...invalidAnswerEffects(view, form, requested)] };
  }
  // "不对不对，是去看验血报告" at the time question, after "打疫苗" was taken as the reason: a no that
  // names another value for an earlier answer corrects it, and the question is asked again.
  // Without a no, only a value or synonym named, in a message that asks nothing ("oh wait sorry, not
  // the jab, I need someone to go over my blood test results"; "哦不对，改成上午吧，晚上我有事"), and not
  // past what always interrupts unless the NLU doubted it.
  const heardNo = form.cancel?.intents.includes(view.intent) === true && !isBareYesNo(view.input.text);
  const mayCorrect = heardNo || (!isQuestion(view.input.text) && (!always || alwaysYieldsToAnswer(view)));
  const correction = requested && mayCorrect ? correctedEarlierAnswer(view, form, requested.slot, heardNo) : undefined;
  if (correction && requested) {
    const corrected: Effect[] = [{ type: "setSlot", slot: correction.slot, value: correction.value }, { type: "requestSlot", form: active.name, slot: requested.slot }, say(requested.ask)];
    return { handled: true, effects: [...effects, ...corrected] };
  }
  // "算了，还是帮我预约个门诊吧": the task dropped in the form's cancel words, and another request made
  // (unless the whole message already reads as a rule's request: it interrupts below).
  // The form is dropped without its cancel reply, as for any switch to another request.
  const request = !yesNoQuestion && found?.by !== "rule" ? requestAfterDropping(view, active.name, form) : undefined;
  if (request) return { handled: false, digression: request, effects: [...effects, { type: "cancelForm", form: active.name, reason: "user" }] };
  if (form.cancel && isCancelWord(view, form.cancel.words)) return { handled: true, effects: [...effects, ...cancelEffects(view, form)] };
  if (form.cancel && !yesNoQuestion && saysCancelPhrase(view, form.cancel.words, found)) {
    // "算了不查了，信用卡一年要交多少年费": the form is dropped, and what else the message asks is
    // answered — a question the FAQ answers, a request with an action; not a canned reply to the
    // words around the cancel ("先不用查了，谢谢" is no thanks to answer, "forget it, I'll check
    // later" no goodbye).
    const aside = found?.by === "faq" || (found?.by === "rule" && found.rule.action !== undefined) ? found : undefined;
    return aside ? { handled: false, digression: aside, effects: [...effects, ...cancelEffects(view, form)] } : { handled: true, effects: [...effects, ...cancelEffects(view, form)] };
  }
  const entityOnly =
    requested !== undefined && requestedSlot !== undefined && (isEntityOnlyReply(view, requested, requestedSlot) || looksLikeAValue(view, requestedSlot));
  // A try at the slot's value, however wrong, is neither a side request nor a goodbye ("ORD-12" heard as one).
  const mayDigress = !invalidAnswer && !entityOnly;
  const freeWords = mayDigress && requested && requestedSlot ? readFreeWords(view, requested.slot, requestedSlot) : undefined;
  // A free-words reading holds unless the message is more surely something else (a side question
  // whose words happen to match: "how long is the warranty" is not "too long"). Forced digressions
  // have returned above; a rule marked `always` is answered whatever the reading (`takeAnswer`).
  const freeWordsHold = freeWords !== undefined && !(found && mayDigress && outweighsFreeWords(view, found, freeWords));
  if (freeWords?.kind === "accept" && requested && (always || freeWordsHold)) return takeAnswer(requested.slot, freeWords.value);
  if (always) return { handled: false, digression: always, effects };
  // A free-words reading the bot is unsure of is still asked about rather than lost to another
  // request the NLU is not sure of either (an answer is not what the NLU was trained on).
  const interruption = mayDigress && found && !freeWordsHold ? found : undefined;
  if (form.cancel && mayDigress && form.cancel.intents.includes(view.intent) && noCancels(view, freeWords)) return { handled: true, effects: [...effects, ...cancelEffects(view, form)] };
  // "actually scratch that, recommend me something instead": a side request after words that drop
  // the task is answered and the form is dropped, not resumed.
  if (interruption && dropsTheTask(view)) return { handled: false, digression: interruption, effects: [...effects, { type: "cancelForm", form: active.name, reason: "user" }] };
  if (interruption) return { handled: false, digression: interruption, effects };
  if (freeWords?.kind === "confirm" && requested && requestedSlot) {
    effects.push(...confirmationEffects(view, active.name, requested, requestedSlot, freeWords.value));
    return { handled: true, effects };
  }
  return { handled: true, effects: [...effects, ...invalidAnswerEffects(view, form, requested)] };
}

/** The form's slot the active form last asked for, and that slot's definition (each undefined when there is none). */
function requestedSlotOf(view: TurnView, form: Form | undefined): { requested: FormSlot | undefined; requestedSlot: SlotDefinition | undefined } {
  const requested = form?.slots.find((formSlot) => formSlot.slot === view.state.activeForm?.requestedSlot);
  return { requested, requestedSlot: requested ? view.bot.definition.slots[requested.slot] : undefined };
}

/**
 * The request a message makes after dropping the form's task in a drop phrase ("actually
 * never mind that, what's Apple trading at right now?" at the horizon question, "算了，还是帮我预约个门诊吧"
 * while a medicine question asks who it is for): the NLU's reading of what follows the drop words
 * alone (`nlu.afterDrop`; the whole message is often heard as the cancel's no, or as the request at
 * too little confidence), from `digressions.minConfidence` on, when it is a rule that starts another
 * form or runs an action — a request, not a canned reply to the words around the cancel ("forget it,
 * I'll check later" is no goodbye). In a form marked `interruptible: false` only after its own cancel
 * words; never for a rule marked `interrupt: never`.
 */
function requestAfterDropping(view: TurnView, formName: string, form: Form): Digression | undefined {
  const after = view.input.nlu.afterDrop;
  // `afterDrop` is there only when the message says a drop phrase of the platform's languages ("forget
  // the return, …"), which may not be among the bot's own cancel words. A form marked
  // `interruptible: false` is not interrupted, but its own cancel words still end it, and the request
  // after them is made ("算了不约了，我就想问孕妇能不能吃布洛芬" while booking).
  if (!after || !form.cancel || (!form.interruptible && !saysPhraseOf(view, form.cancel.words))) return undefined;
  if (after.confidence < view.bot.definition.digressions.minConfidence) return undefined;
  const rule = findRule({ ...view, intent: after.name });
  if (!rule || rule.intent === "*" || rule.form === formName || rule.interrupt === "never") return undefined;
  if (rule.form === undefined && rule.action === undefined) return undefined;
  return { by: "rule", rule, confidence: after.confidence, forced: false };
}

function cancelEffects(view: TurnView, form: Form): Effect[] {
  const active = view.state.activeForm;
  if (!active || !form.cancel) return [];
  return [{ type: "cancelForm", form: active.name, reason: "user" }, say(form.cancel.response)];
}

/** An answer the form could not use: asked again, or after `maxAttempts` in a row the form stops and offers a person. */
function invalidAnswerEffects(view: TurnView, form: Form, requested: FormSlot | undefined): Effect[] {
  const active = view.state.activeForm;
  if (!active) return [];
  if (active.invalidAttempts + 1 >= form.maxAttempts) {
    // The user is stuck: stop asking and offer a person instead.
    return [{ type: "cancelForm", form: active.name, reason: "stuck" }, ...offerHuman(view)];
  }
  return [
    { type: "invalidFormAnswer", form: active.name, slot: active.requestedSlot },
    say(requested?.invalid ?? requested?.ask ?? view.bot.definition.fallback.rephrase),
  ];
}

/**
 * Is `found` surer than the free-words reading of the message? An answer in the user's own words
 * is nothing the NLU was trained on: it is often heard as another request at 0.5–0.9 ("the sleeves
 * reach my fingertips" as a goodbye, "I paid for the navy one and got a grey one" as a product
 * question), while real side requests score above 0.95. So a rule interrupts a free-words reading
 * only from SURE_INTENT_CONFIDENCE on, and, against a reading the bot is sure of, only when more
 * confident than it; an FAQ answer when more confident than the reading (as before).
 */
function outweighsFreeWords(view: TurnView, found: Digression, freeWords: NonNullable<FreeWordsAnswer>): boolean {
  if (found.by === "rule" && view.input.nlu.intent.confidence < SURE_INTENT_CONFIDENCE) return false;
  return freeWords.kind === "confirm" || found.confidence > freeWords.confidence;
}

/**
 * Does a message heard as a cancel intent ("no") cancel the form? A plain no does, and so does a
 * longer message the NLU is sure of (from SURE_INTENT_CONFIDENCE; from `digressions.minConfidence`
 * unless the form reads it as an answer in free words, below). A longer one it is unsure
 * of is an answer with a "no" word in it far more often ("开关按了没反应，灯不亮" — the switch does
 * nothing — at 0.73, "nothing's really wrong, I just haven't been seen in years" at 0.59): the form
 * reads it, and asks again if it cannot. And below SURE_INTENT_CONFIDENCE a longer message the form
 * reads as an answer in free words, however unsure, is asked about first ("no, it just isn't what I
 * expected" at the reason question is a vague reason, not a no to the return).
 */
function noCancels(view: TurnView, freeWords: FreeWordsAnswer): boolean {
  const { confidence } = view.input.nlu.intent;
  if (isBareYesNo(view.input.text) || confidence >= SURE_INTENT_CONFIDENCE) return true;
  if (freeWords?.kind === "confirm") return false;
  return confidence >= view.bot.definition.digressions.minConfidence;
}

/**
 * A message that drops the task in the form's cancel words ("算了，我还是直接去问药店吧" at "who is it
 * for?", heard as a no), or in a drop phrase before another request, names no choice by a word that happens to be one of the choices' (我, "me"):
 * a choice named in the same breath as a cancel phrase, in a message the NLU hears as a no or as a
 * request for another form, is read as part of dropping the task. Only for a question with choices,
 * and not at a yes/no question ("是的，取消吧"); a value given as an entity (an order number, a date)
 * is read as before.
 */
function dropsTaskInWords(view: TurnView, form: Form, requestedSlot: SlotDefinition, yesNoQuestion: boolean, found: Digression | undefined): boolean {
  if (requestedSlot.type !== "enum" || yesNoQuestion || form.cancel === undefined) return false;
  const formName = view.state.activeForm?.name;
  // A drop phrase of the platform's languages followed by a request for another form or action the
  // NLU is sure of ("hmm no, forget the pills, i just want to see a GP" at "who is it for?": "i" is no "me").
  if (formName !== undefined && requestAfterDropping(view, formName, form) !== undefined) return true;
  if (!saysPhraseOf(view, form.cancel.words)) return false;
  // The NLU hears the message as the no, or as a request for another form: a cancel phrase beside
  // an answer ("da igual, me queda chica", "scratch that, it's too small") leaves the answer read.
  return form.cancel.intents.includes(view.intent) || (found?.by === "rule" && found.rule.form !== undefined);
}

/**
 * A side question the NLU is sure of (from SURE_INTENT_CONFIDENCE), written as a question, is not
 * an answer because one of the form's words is in it: "wait, remind me what compound interest
 * means?" names "wait", a synonym of holding on, at the what-would-you-do-in-a-fall question. The
 * digression answers it and the form asks again. A yes or no never is one (it belongs to the form),
 * nor a question whose intent starts this same form.
 */
function sureQuestionAside(view: TurnView, found: Digression | undefined, formName: string): boolean {
  if (found === undefined || found.by === "continueRule" || heardAsYesOrNo(view)) return false;
  // A question about this form's own task is this form's ("it's too small, can I return it for that?"
  // at the return's reason question): its answer is read.
  if (findRule(view)?.form === formName) return false;
  return view.input.nlu.intent.confidence >= SURE_INTENT_CONFIDENCE && isQuestion(view.input.text);
}

/**
 * A rule marked `interrupt: always` (the health bot's `emergency` intent) says its reply even when
 * the message also answers the form's question — unless the NLU was below
 * `digressions.minConfidence` about the intent: then a clear answer ("just me" at "who is it for?",
 * "a routine check-up", heard as an emergency at 0.5–0.7) is only an answer. The emergency words
 * (a continue rule) are not affected: they always say their advice.
 */
function alwaysYieldsToAnswer(view: TurnView): boolean {
  return view.input.nlu.intent.confidence < view.bot.definition.digressions.minConfidence;
}

/**
 * Does the message, which also gave the form a value through an entity, make a new request that
 * switches to another form ("actually I'd rather cancel ORD-1000001" while tracking, "I want to
 * return ORD-3141592 instead" while cancelling)? Only a rule that starts another form, which the NLU
 * is confident of — from `digressions.minConfidence` when the entity answered the question
 * (`answered`), from SURE_INTENT_CONFIDENCE when it changed a slot given before ("sorry, I meant
 * ORD-3141592" is heard as tracking at 0.8 and is a correction) — and only one that still asks
 * something before it acts: the NLU hears nearly any message with an order number as tracking
 * ("it's ORD-3141592" at 0.97), so a switch to a form the value completes at once would turn plain
 * answers into other requests; one that asks (cancel: "are you sure?", a return: "why?") lets a
 * misheard switch be caught — unless the message also drops this task in the form's cancel words
 * while it answers the form's question ("forget that, where is ORD-4820193" at "which order?"):
 * then from `digressions.minConfidence` on, whatever the new form asks. Not when the value changes
 * one given before: "scratch that, I meant ORD-1000002" drops the value, not the task, and is a
 * correction unless the NLU is sure and the new form asks, or the message also drops the task in
 * the cancel words ("先不退了，帮我查一下ORD-2718281的退款"). Never when the message is nothing but
 * the entity. The entity's slot keeps its value, so the new form has it.
 */
function switchesTask(view: TurnView, formName: string, form: Form, answered: boolean): Digression | undefined {
  const { requested, requestedSlot } = requestedSlotOf(view, form);
  if (requested && requestedSlot && isEntityOnlyReply(view, requested, requestedSlot)) return undefined;
  // "never mind the return, just tell me where 12345678 is" at the return's order question (tracking
  // at 0.62 as a whole): the words after the drop ask for another form, and say more than the value.
  // After a value, drop words other than the bot's own cancel words more often drop the value
  // ("scratch that, 10 years" at the horizon question is an answer): then only a request the NLU is
  // sure of switches ("actually forget the return, where is my backpack order 12345678").
  const dropsInCancelWords = form.cancel !== undefined && saysPhraseOf(view, form.cancel.words);
  const afterDrop = answered && saysMoreThanDropAndValues(view, form) ? requestAfterDropping(view, formName, form) : undefined;
  const switches = afterDrop !== undefined && (dropsInCancelWords || afterDrop.confidence >= SURE_INTENT_CONFIDENCE);
  if (switches && afterDrop.by === "rule" && afterDrop.rule.form !== undefined) return afterDrop;
  const found = findDigression(view, formName, form, false);
  if (found?.by !== "rule" || found.forced || found.rule.form === undefined || found.rule.form === formName) return undefined;
  // "scratch that, where is ORD-4820193?" at the return's order question: the user drops this task
  // in words (a cancel phrase of the form) and asks for another — not an answer, even when the new
  // form has nothing left to ask. After a value was given the same words more often drop the value
  // ("scratch that, I meant ORD-1000002", heard as tracking at 0.92): then only a request the NLU is
  // sure of drops the task ("先不退了，帮我查一下ORD-2718281的退款" in a return, a refund at 0.98).
  if (!dropsInCancelWords && !asksBeforeActing(view, found.rule)) return undefined;
  const needed = answered ? view.bot.definition.digressions.minConfidence : SURE_INTENT_CONFIDENCE;
  return found.rule.interrupt === "always" || view.input.nlu.intent.confidence >= needed ? found : undefined;
}

/**
 * Does the message say more than the form's cancel words and its entities' values ("forget it, it's
 * ORD-3141592" says nothing more: the FAQ's tokens leave out "it's")?
 */
function saysMoreThanDropAndValues(view: TurnView, form: Form): boolean {
  let words = normalizeText(textWithoutEntities(view));
  for (const phrase of form.cancel?.words ?? []) words = words.split(normalizeText(phrase)).join(" ");
  return tokenize(words, view.locale).length > 0;
}

/**
 * Is the message one word with a digit in it (of a script written with spaces), at a question whose answer is an entity or a number
 * ("ORD-16180", five digits where the order number has six to ten: no entity, but no side request
 * either)? It is a try at the answer.
 */
function looksLikeAValue(view: TurnView, slot: SlotDefinition): boolean {
  const text = view.input.text.trim();
  // Not in a script written without spaces, where a whole sentence is one "word" ("信用卡年费是200块吗").
  return answeredByEntity(slot) && !/\s/.test(text) && /\d/.test(text) && ![...text].some((char) => charStandsAlone(char));
}

/**
 * A different value the message names for one of the form's choices answered before the question it
 * is now asking ("不对不对，是去看验血报告": test results, where the reason was taken as vaccination): a
 * value or synonym named, or (`inFreeWords`, when the message is heard as a no) one read in free
 * words with the bot sure of it.
 */
function correctedEarlierAnswer(view: TurnView, form: Form, askedSlot: string, inFreeWords: boolean): { slot: string; value: SlotValue } | undefined {
  let number: { slot: string; value: SlotValue } | undefined;
  for (const formSlot of form.slots) {
    if (formSlot.slot === askedSlot) return number;
    const slot = view.bot.definition.slots[formSlot.slot];
    const given = view.state.slots[formSlot.slot];
    if (slot === undefined || given === undefined || !isFilled(given)) continue;
    if (slot.type === "number" || slot.type === "money") {
      // The number answered last before the question asked, unless a choice is corrected.
      const corrected = correctedNumber(view, formSlot, slot, given, inFreeWords);
      number = corrected === undefined ? number : { slot: formSlot.slot, value: corrected };
      continue;
    }
    if (slot.type !== "enum" || slot.multiple === true) continue;
    const named = enumValueIn(slot, view.input.text, false);
    const freeWords = named === undefined && inFreeWords ? readFreeWords(view, formSlot.slot, slot) : undefined;
    const value = named ?? (freeWords?.kind === "accept" ? freeWords.value : undefined);
    if (value !== undefined && value !== given) return { slot: formSlot.slot, value };
  }
  return number;
}

/**
 * Another number for an answered number slot, in a message that says it corrects ("oh wait make that
 * 15000" at the date question, after 12000 was the goal; "不对 应该是5年" at the next question, heard as
 * a no): the message's number, valid for that slot and not what it holds. The question asked could
 * not take it (the caller asks only once the message gave it no answer).
 */
function correctedNumber(view: TurnView, formSlot: FormSlot, slot: SlotDefinition, given: DeepReadonly<SlotValue>, heardNo: boolean): SlotValue | undefined {
  if (!heardNo && !saysCorrection(view)) return undefined;
  const numbers = view.entities.filter((entity) => entity.entity === (slot.type === "money" ? "money" : "number"));
  const [only] = numbers;
  if (numbers.length !== 1 || only === undefined) return undefined;
  const value = coerceSlotValue(slot, only.value);
  if (value === undefined || value === null || !isValidAnswer(view, formSlot, value)) return undefined;
  return sameSlotValue(value, given) ? undefined : value;
}

/** Does the message say it corrects what was said before ("make that", "应该是"; `correctionPhrases`)? */
function saysCorrection(view: TurnView): boolean {
  const message = normalizeText(view.input.text);
  return languageOf(view.locale).correctionPhrases.some((phrase) => containsTerm(message, phrase));
}

/** Will the form the rule starts still ask for a slot (one not filled, or one the rule clears first)? */
function asksBeforeActing(view: TurnView, rule: Rule): boolean {
  const next = rule.form === undefined ? undefined : view.bot.definition.forms[rule.form];
  if (!next) return false;
  const cleared = rule.clearSlots === "all" ? undefined : new Set(rule.clearSlots ?? []);
  return next.slots.some((formSlot) => cleared === undefined || cleared.has(formSlot.slot) || !isFilled(view.state.slots[formSlot.slot]));
}

/**
 * Does the active form read the message as an answer to its question: a value of a choice it names,
 * a value in free words (taken or to be asked about), a number, amount, date or entity-backed text
 * that passes the slot's checks? A request for a person the NLU is not sure of (turn.ts) goes to the
 * form then. A yes or no, or a free-text slot's "anything", proves nothing here.
 */
export function readsAsAnswer(view: TurnView): boolean {
  const active = view.state.activeForm;
  const form = active ? view.bot.definition.forms[active.name] : undefined;
  const { requested, requestedSlot: slot } = requestedSlotOf(view, form);
  if (!requested || !slot || slot.type === "boolean" || (slot.type === "text" && slot.entity.length === 0)) return false;
  const value = answerFromMessage(view, requested, slot);
  if (value !== undefined && value !== null) return isValidAnswer(view, requested, value);
  return readFreeWords(view, requested.slot, slot) !== undefined;
}

/**
 * The slot's values the message comes close to in free words, judged by the slot's levels
 * (free-words.ts). A question ("do I need to bring anything?") asks rather than answers: it is never
 * read in free words (a word it shares with an example proves nothing); a value it names still counts.
 */
function readFreeWords(view: TurnView, slotName: string, slot: SlotDefinition): FreeWordsAnswer {
  const categories = view.bot.slotCategories[slotName];
  if (!categories || asksSomething(view.input.text, view.locale)) return undefined;
  return judgeFreeWords(slot, matchCategories(categories, view.input.text, view.locale, view.bot.definition.defaultLocale));
}

/** Asks whether the answer meant `value`: the slot's `confirm` response, else the platform's sentence. */
function confirmationEffects(view: TurnView, form: string, formSlot: FormSlot, slot: SlotDefinition, value: string): Effect[] {
  const asked: Effect = { type: "confirmSlot", form, slot: formSlot.slot, value };
  if (formSlot.confirm !== undefined) return [asked, say(formSlot.confirm)];
  const label = enumLabel(slot, value, view.locale, view.bot.definition.defaultLocale);
  return [asked, { type: "sayText", source: "platform", reply: platformConfirmation(view, label) }];
}

/**
 * The message as an answer to "That sounds like … — right?" about `slot`: yes (the bot's affirm
 * intents, or the yes it offered as a quick reply), no, or neither (then it is read afresh).
 */
function answerToConfirmation(
  view: TurnView,
  confirming: DeepReadonly<{ slot: string; value: SlotValue }> | null,
  slot: string,
): "yes" | "no" | undefined {
  if (confirming?.slot !== slot) return undefined;
  const { definition } = view.bot;
  const [yes, no] = languageOf(view.locale).confirmQuickReplies;
  const answer = normalizeAnswer(view.input.text);
  const leading = leadingYesOrNo(view);
  if (leading !== undefined) return leading;
  if (definition.affirmIntents.includes(view.intent) || answer === normalizeAnswer(yes)) return "yes";
  if (definition.denyIntents.includes(view.intent) || answer === normalizeAnswer(no)) return "no";
  return undefined;
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

/**
 * A message that is only a yes or a no, nothing more said: two words at most ("no thanks"), or in a
 * script written without spaces five characters at most ("不是的", "不用了谢谢"; "开关按了没反应，灯不亮"
 * says more).
 */
function isBareYesNo(text: string): boolean {
  const answer = normalizeAnswer(text);
  const standAlone = [...answer].filter((char) => charStandsAlone(char)).length;
  return answer.split(" ").length <= 2 && [...answer].length <= 12 && standAlone <= BARE_CHARACTERS;
}

const BARE_CHARACTERS = 5;

/** Is the whole message one of the form's cancel words ("never mind", "算了")? */
function isCancelWord(view: TurnView, words: readonly string[]): boolean {
  const answer = normalizeAnswer(view.input.text);
  return words.some((word) => normalizeAnswer(word) === answer);
}

/**
 * Does the message say one of the form's cancel phrases inside a longer sentence ("ugh, just forget
 * it, I'll check later", "那先不查了吧")? Only phrases count — two words or more, or two characters
 * or more of a script written without spaces: a single word ("stop", "cancel") inside a sentence is
 * too often about something else ("my card stopped", "cancel my order"). Not when the message asks
 * something (a question is read as a question) — unless the FAQ answers it, which it then does after
 * the cancel ("forget it, what's the annual fee on the credit card?") — nor when the bot is confident it is a new request
 * that starts a form ("我要取消订单" while tracking: the request wins over 取消); the caller does not
 * ask at a yes/no question either, where "是的，取消吧" answers it.
 */
function saysCancelPhrase(view: TurnView, words: readonly string[], found: Digression | undefined): boolean {
  if (isQuestion(view.input.text) && found?.by !== "faq") return false;
  // A message that ends in the drop ("hmm let me check with my wife first, forget about it", heard as
  // tracking at 0.88) asks for nothing after it — unless the NLU is sure of the request ("帮我取消" while
  // tracking, where 取消 is the request).
  const sureRequest = view.input.nlu.intent.confidence >= SURE_INTENT_CONFIDENCE;
  if (found?.by === "rule" && found.rule.form !== undefined && (sureRequest || !endsWithPhraseOf(view, words))) return false;
  return saysPhraseOf(view, words);
}

/** Does the message end in one of the words that is a phrase (`isPhrase`), a closing particle ("算了吧") aside? */
function endsWithPhraseOf(view: TurnView, words: readonly string[]): boolean {
  const chars = [...normalizeText(view.input.text)];
  while (chars.length > 0 && CLOSING_PUNCTUATION.test(chars.at(-1) ?? "")) chars.pop();
  // 了 both closes sentences and ends phrases ("不用了", "算了吧"): the message is tried with each of its closing particles taken off in turn.
  const endings = [chars.join("")];
  while (chars.length > 0 && CLOSING_PARTICLES.includes(chars.at(-1) ?? "")) {
    chars.pop();
    endings.push(chars.join(""));
  }
  // A closing word after the phrase ("never mind then", "olvídalo entonces").
  const whole = endings[0] ?? "";
  const lastSpace = whole.lastIndexOf(" ");
  if (lastSpace > 0 && CLOSING_WORDS.has(whole.slice(lastSpace + 1))) {
    const before = [...whole.slice(0, lastSpace)];
    while (before.length > 0 && CLOSING_PUNCTUATION.test(before.at(-1) ?? "")) before.pop();
    endings.push(before.join(""));
  }
  return words.some((word) => isPhrase(word) && endings.some((ending) => ending.endsWith(normalizeText(word))));
}

const CLOSING_PUNCTUATION = /^[\p{P}\s]$/u;
/** Chinese particles that may close a sentence after its last word. */
const CLOSING_PARTICLES = "吧了啊呀嘛哈";
/** Words that may close a sentence after a cancel phrase, in the languages written with spaces. */
const CLOSING_WORDS: ReadonlySet<string> = new Set(["then", "please", "pls", "thanks", "thx", "lol", "ok", "entonces", "gracias", "pues"]);

/**
 * Does the message drop the task: a drop phrase of the platform's languages before more words
 * (`nlu.afterDrop`)? Not the form's cancel words: they may name what the side question is about
 * ("取消以后钱多久能退回来？" while a cancellation waits for its yes).
 */
function dropsTheTask(view: TurnView): boolean {
  return view.input.nlu.afterDrop !== undefined;
}

/** Does the message contain one of the words that is a phrase (`isPhrase`)? */
function saysPhraseOf(view: TurnView, words: readonly string[]): boolean {
  const message = normalizeText(view.input.text);
  return words.some((word) => isPhrase(word) && containsTerm(message, word));
}

/**
 * Two words or more, or two characters or more of a script written without spaces, or a word that
 * drops a task in any language the platform knows (`dropPhrases`: "olvídalo", "nvm").
 */
function isPhrase(word: string): boolean {
  const normalized = normalizeAnswer(word);
  return normalized.includes(" ") || [...normalized].filter((char) => charStandsAlone(char)).length >= 2 || DROP_WORDS.has(normalized);
}

const DROP_WORDS: ReadonlySet<string> = new Set(LOCALES.flatMap((locale) => LANGUAGES[locale].dropPhrases.map((phrase) => normalizeAnswer(phrase))));

