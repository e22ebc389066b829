import { faqResponseName } from "../../../../shared/bots/response-names.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import type { Effect } from "./effects.ts";
import { findFaqAnswers, type FaqAnswer } from "./faq/index.ts";
import { reply } from "./responses.ts";
import type { Bot, TurnView } from "./types.ts";

export { faqResponseName } from "../../../../shared/bots/response-names.ts";

/** Every FAQ entry matching a message, best first, searched in the reply locale's index (else the default's). */
export function matchFaq(bot: Bot, locale: Locale, text: string): FaqAnswer[] {
  const { definition, faqIndex } = bot;
  return findFaqAnswers(definition.faq, faqIndex[faqIndex[locale] ? locale : definition.defaultLocale], text);
}

function confidentAnswer(view: TurnView): FaqAnswer | undefined {
  const threshold = view.bot.definition.faq?.threshold ?? 1;
  const best = view.faqMatches()[0];
  return best && best.confidence >= threshold ? best : undefined;
}

export function faqCanAnswer(view: TurnView): boolean {
  return confidentAnswer(view) !== undefined;
}

/** The FAQ's answer if its best entry is confident enough; undefined otherwise. */
export function answerFromFaq(view: TurnView): Effect[] | undefined {
  const best = confidentAnswer(view);
  if (!best) return undefined;
  const localized = best.entry[view.locale] ?? best.entry[view.bot.definition.defaultLocale] ?? localeEntries(best.entry)[0]?.[1];
  if (!localized) return undefined;
  return [{ type: "sayText", source: "faq", reply: reply(localized.answer, faqResponseName(best.entry.id), localized.quickReplies) }];
}
