import { findFaqAnswers, type FaqAnswer } from "./faq/index.ts";
import { reply } from "./responses.ts";
import type { TurnContext } from "./types.ts";

/** The reply's `response` for an FAQ answer: `faq:<entry id>`. */
export const faqResponseName = (entryId: string): string => `faq:${entryId}`;

/**
 * Every FAQ entry matching this turn's message, best first. Searched once per turn (the message
 * and the reply locale do not change within it); callers take the top ones they need.
 */
export function faqMatches(ctx: TurnContext): readonly FaqAnswer[] {
  if (ctx.faqMatches === undefined) {
    const { definition, faqIndex } = ctx.bot;
    const locale = faqIndex[ctx.locale] ? ctx.locale : definition.defaultLocale;
    ctx.faqMatches = findFaqAnswers(definition.faq, faqIndex[locale], ctx.input.text);
  }
  return ctx.faqMatches;
}

function confidentAnswer(ctx: TurnContext): FaqAnswer | undefined {
  const threshold = ctx.bot.definition.faq?.threshold ?? 1;
  const best = faqMatches(ctx)[0];
  return best && best.confidence >= threshold ? best : undefined;
}

export function faqCanAnswer(ctx: TurnContext): boolean {
  return confidentAnswer(ctx) !== undefined;
}

/** Answers from the FAQ if the best entry is confident enough; false otherwise. */
export function answerFromFaq(ctx: TurnContext): boolean {
  const best = confidentAnswer(ctx);
  if (!best) return false;
  const localized = best.entry[ctx.locale] ?? best.entry[ctx.bot.definition.defaultLocale] ?? best.entry.en ?? best.entry.zh;
  if (!localized) return false;
  ctx.replies.push(reply(localized.answer, faqResponseName(best.entry.id), localized.quickReplies));
  return true;
}
