import type { Rule } from "../../../../shared/schemas/bot.ts";
import type { DialogueDecision, DialogueState } from "../../../../shared/schemas/dialogue.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { visibleEnv } from "./bot-env.ts";
import { answerFromFaq } from "./faq-answer.ts";
import { answerHumanOffer, fallBack, handOff } from "./fallback.ts";
import { continueForm, repeatFormQuestion } from "./forms.ts";
import { answerWithLlm } from "./llm.ts";
import { say } from "./responses.ts";
import { findRule, matchingContinueRules } from "./rules.ts";
import { fillSlotsFromEntities } from "./slots.ts";
import { runStep } from "./steps.ts";
import type { Bot, EngineDeps, TurnContext, TurnInput } from "./types.ts";

function createContext(bot: Bot, input: TurnInput, deps: EngineDeps): TurnContext {
  // A copy, since the turn changes its state in place: the caller's state object must not change
  // if this turn is retried. The queue consumer already validated it (DialogueStateSchema).
  const state = structuredClone(input.state);
  return {
    bot,
    input,
    deps,
    env: visibleEnv(bot.definition.env, deps.env),
    locale: replyLocale(bot, input, state),
    intent: input.nlu.intent.name,
    entities: input.nlu.entities,
    state,
    replies: [],
    handoff: false,
    slotChanges: new Map(),
    depth: 0,
  };
}

/**
 * The turn's locale if the bot speaks it, else the bot's default. A message without words of its
 * own (an order number, "42") keeps the conversation's last locale instead of the detector's guess.
 */
function replyLocale(bot: Bot, input: TurnInput, state: DialogueState): Locale {
  const { locales, defaultLocale } = bot.definition;
  let remaining = input.text;
  for (const entity of input.nlu.entities) remaining = remaining.replace(entity.text, " ");
  const languageNeutral = !/\p{L}{2,}|\p{Script=Han}/u.test(remaining);
  if (languageNeutral && state.lastLocale !== null && locales.includes(state.lastLocale)) return state.lastLocale;
  return locales.includes(input.nlu.locale) ? input.nlu.locale : defaultLocale;
}

/**
 * One turn, in order: entities fill slots; `continue` rules add their replies (emergency advice);
 * the disclaimer once; a request for a human; the answer to a human offer; the active form;
 * the first matching rule; the FAQ; the LLM (if configured); the fallback.
 */
export async function decideTurn(bot: Bot, input: TurnInput, deps: EngineDeps): Promise<DialogueDecision> {
  const ctx = createContext(bot, input, deps);
  const { definition } = bot;
  fillSlotsFromEntities(ctx);
  for (const rule of matchingContinueRules(ctx)) await runStep(ctx, rule);
  const answeredByContinueRules = ctx.replies.length > 0;
  if (definition.disclaimer !== undefined && !ctx.state.disclaimerShown) {
    say(ctx, definition.disclaimer);
    ctx.state.disclaimerShown = true;
  }
  await answer(ctx, answeredByContinueRules);
  ctx.state.lastIntent = ctx.intent;
  ctx.state.lastLocale = ctx.locale;
  return { replies: ctx.replies, state: ctx.state, handoff: ctx.handoff };
}

async function answer(ctx: TurnContext, answeredByContinueRules: boolean): Promise<void> {
  const { definition } = ctx.bot;
  if (definition.handoff.intents.includes(ctx.intent)) return handOff(ctx);
  if (answerHumanOffer(ctx)) return;
  const formBefore = ctx.state.activeForm;
  let rule: Rule | undefined;
  if (formBefore) {
    const formTurn = await continueForm(ctx);
    if (formTurn.handled) return resetStreak(ctx);
    rule = formTurn.rule;
  }
  rule ??= findRule(ctx);
  if (rule) await runStep(ctx, rule);
  else if (!(await answerWithoutRule(ctx, formBefore !== null, answeredByContinueRules))) return fallBack(ctx);
  // A question in the middle of a form was answered: go back to what the form is waiting for.
  if (formBefore && ctx.state.activeForm === formBefore) repeatFormQuestion(ctx);
  resetStreak(ctx);
}

async function answerWithoutRule(ctx: TurnContext, inForm: boolean, answeredByContinueRules: boolean): Promise<boolean> {
  if (answerFromFaq(ctx)) return true;
  // Only a rule or a confident FAQ answer may interrupt a form; the LLM answers outside forms.
  if (!inForm && (await answerWithLlm(ctx))) return true;
  return answeredByContinueRules;
}

function resetStreak(ctx: TurnContext): void {
  ctx.state.fallbackStreak = 0;
}
