import { say } from "./responses.ts";
import type { TurnContext } from "./types.ts";

/** Nothing understood the message: ask to rephrase, or after enough misses in a row offer a human. */
export function fallBack(ctx: TurnContext): void {
  const { fallback } = ctx.bot.definition;
  ctx.state.fallbackStreak++;
  if (ctx.state.fallbackStreak >= fallback.offerHumanAfter) offerHuman(ctx);
  else say(ctx, fallback.rephrase);
}

export function offerHuman(ctx: TurnContext): void {
  ctx.state.handoffOffered = true;
  say(ctx, ctx.bot.definition.fallback.offerHuman);
}

/** Hands the conversation to a person: the bot says so and stays silent afterwards. */
export function handOff(ctx: TurnContext): void {
  ctx.handoff = true;
  ctx.state.activeForm = null;
  ctx.state.handoffOffered = false;
  ctx.state.fallbackStreak = 0;
  say(ctx, ctx.bot.definition.handoff.response);
}

/**
 * The answer to "shall I get you a person?" from the previous turn. Returns true if this turn
 * was that answer (yes → handoff, no → acknowledged); anything else just withdraws the offer.
 */
export function answerHumanOffer(ctx: TurnContext): boolean {
  if (!ctx.state.handoffOffered) return false;
  ctx.state.handoffOffered = false;
  const { definition } = ctx.bot;
  if (definition.affirmIntents.includes(ctx.intent)) {
    handOff(ctx);
    return true;
  }
  if (definition.denyIntents.includes(ctx.intent)) {
    ctx.state.fallbackStreak = 0;
    say(ctx, definition.fallback.declined);
    return true;
  }
  return false;
}
