import { DialogueStateSchema, type DialogueDecision } from "../../../../shared/schemas/dialogue.ts";
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
  const { definition } = bot;
  // A copy: the caller's state object must not change if this turn is retried.
  const state = DialogueStateSchema.parse(structuredClone(input.state));
  return {
    bot,
    input,
    deps,
    locale: definition.locales.includes(input.locale) ? input.locale : definition.defaultLocale,
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
  return { replies: ctx.replies, state: ctx.state, handoff: ctx.handoff };
}

async function answer(ctx: TurnContext, answeredByContinueRules: boolean): Promise<void> {
  const { definition } = ctx.bot;
  if (definition.handoff.intents.includes(ctx.intent)) return handOff(ctx);
  if (answerHumanOffer(ctx)) return;
  const formBefore = ctx.state.activeForm?.name;
  if (formBefore !== undefined && (await continueForm(ctx))) return resetStreak(ctx);
  const rule = findRule(ctx);
  if (rule) {
    await runStep(ctx, rule);
    // An interruption was answered: go back to the question the form is waiting for.
    if (formBefore !== undefined && ctx.state.activeForm?.name === formBefore && rule.form === undefined) {
      repeatFormQuestion(ctx);
    }
    return resetStreak(ctx);
  }
  if (answerFromFaq(ctx) || (await answerWithLlm(ctx)) || answeredByContinueRules) return resetStreak(ctx);
  fallBack(ctx);
}

function resetStreak(ctx: TurnContext): void {
  ctx.state.fallbackStreak = 0;
}
