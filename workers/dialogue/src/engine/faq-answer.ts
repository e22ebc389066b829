import { faqResponseName } from "../../../../shared/bots/response-names.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import { OUT_OF_SCOPE, type Locale } from "../../../../shared/schemas/nlu.ts";
import type { Effect } from "./effects.ts";
import { faqRelevance } from "./faq/bm25.ts";
import { findFaqAnswers, otherScriptIndex, type FaqAnswer } from "./faq/index.ts";
import { reply } from "./responses.ts";
import { ruleIntents } from "./rules.ts";
import { isQuestion } from "./text.ts";
import type { Bot, TurnView } from "./types.ts";

export { faqResponseName } from "../../../../shared/bots/response-names.ts";

/**
 * When the NLU vouches for the message as one of the bot's questions (see `vouchedAnswer`), the FAQ's
 * best entry answers from this share of the FAQ's threshold, if it is this much ahead of the next
 * entry's (by `faqRelevance`). Chosen on the development dialogues (bench/dialogue-dev/), not on the held-out set,
 * when entries still ranked by score alone; the development dialogues did not change when they moved to `faqRelevance`.
 */
export const VOUCHED_THRESHOLD_SHARE = 0.6;
export const VOUCHED_LEAD = 1.2;

/**
 * Every FAQ entry matching a message, best first, searched in the reply locale's index (else the
 * default's); words of the message in the other kind of script ("我的 debit card 丢了") are searched in
 * the bot's index for a language of that script (faq/index.ts).
 */
export function matchFaq(bot: Bot, locale: Locale, text: string): FaqAnswer[] {
  const { definition, faqIndex } = bot;
  const searched = faqIndex[locale] ? locale : definition.defaultLocale;
  return findFaqAnswers(definition.faq, faqIndex[searched], text, undefined, otherScriptIndex(faqIndex, searched, definition.defaultLocale, text));
}

function confidentAnswer(view: TurnView): FaqAnswer | undefined {
  const threshold = view.bot.definition.faq?.threshold ?? 1;
  const best = view.faqMatches()[0];
  return best && best.confidence >= threshold ? best : undefined;
}

/**
 * The FAQ's best entry for a message the NLU is sure is a question of the bot's own kind — an intent
 * no rule handles (`ask_faq`, `ask_health`), at least `digressions.minConfidence` — even below the
 * FAQ's threshold: the threshold keeps the FAQ from answering what the bot was never about ("what's
 * the weather in Paris"), which the NLU has ruled out; what is left to check is that one entry
 * stands out ("老是失眠该怎么办" with its words split two ways). Undefined for other messages, or
 * when no entry stands out.
 */
function vouchedAnswer(view: TurnView, inForm: boolean): FaqAnswer | undefined {
  const { definition } = view.bot;
  const threshold = definition.faq?.threshold ?? 1;
  const { intent } = view.input.nlu;
  const vouched = view.intent !== OUT_OF_SCOPE && intent.confidence >= definition.digressions.minConfidence && !ruleNames(view).has(view.intent);
  const [best, second] = view.faqMatches();
  if (!best || best.confidence < threshold * VOUCHED_THRESHOLD_SHARE) return undefined;
  if (vouched && (second === undefined || faqRelevance(best) >= VOUCHED_LEAD * faqRelevance(second))) return best;
  // Inside a form, a message written as a question is not an answer to the form's question but
  // one of the user's own ("对了，保修期多长？" at the order-number question): the FAQ's best entry
  // answers it if it leads on both counts, its best question's (or answer's) score and how much of
  // the message it covers.
  const leads = view.faqMatches().every((other) => other === best || (best.documentScore > other.documentScore && best.confidence > other.confidence));
  return inForm && isQuestion(view.input.text) && leads ? best : undefined;
}

/** The intents some rule names (a catch-all `"*"` names none). */
function ruleNames(view: TurnView): ReadonlySet<string> {
  return new Set(view.bot.definition.rules.flatMap(ruleIntents));
}

export function faqCanAnswer(view: TurnView): boolean {
  return confidentAnswer(view) !== undefined;
}

/** The FAQ can answer once the NLU's word, or a question's form, is taken into account (`vouchedAnswer`); for side questions inside forms. */
export function faqCanAnswerVouched(view: TurnView, inForm: boolean): boolean {
  return (confidentAnswer(view) ?? vouchedAnswer(view, inForm)) !== undefined;
}

/** The FAQ's answer if its best entry is confident enough; undefined otherwise. */
export function answerFromFaq(view: TurnView): Effect[] | undefined {
  return faqEffects(view, confidentAnswer(view));
}

/** The FAQ's answer if its best entry is confident enough, or the NLU vouches for it (`vouchedAnswer`). */
export function answerFromFaqVouched(view: TurnView, inForm: boolean): Effect[] | undefined {
  return faqEffects(view, confidentAnswer(view) ?? vouchedAnswer(view, inForm));
}

function faqEffects(view: TurnView, best: FaqAnswer | undefined): Effect[] | undefined {
  if (!best) return undefined;
  const localized = best.entry[view.locale] ?? best.entry[view.bot.definition.defaultLocale] ?? localeEntries(best.entry)[0]?.[1];
  if (!localized) return undefined;
  return [{ type: "sayText", source: "faq", reply: reply(localized.answer, faqResponseName(best.entry.id), localized.quickReplies) }];
}
