import fallbacksJson from "../../generated/bot-fallbacks.json";
import { detectLocale, languageOf } from "../../shared/languages/index.ts";
import { BotFallbacksSchema, type BotReply, type Locale } from "../../shared/schemas/index.ts";
import { botLocales } from "./bot-locales.ts";

/** Each bot's own `fallback.unavailable` response, compiled by `npm run build:bots`. */
const BOT_FALLBACKS = BotFallbacksSchema.parse(fallbacksJson);

/** The platform's answer for a bot that names none: each language's sentence in the language data. */
const PLATFORM_FALLBACK = {
  response: "stratus_pipeline_fallback",
  text: (locale: Locale): string => languageOf(locale).pipelineFallback,
};

/**
 * The reply to user message `seq` when the pipeline could not produce one: the bot's own response
 * where it defines one, in the conversation's locale or else the language the user wrote in.
 */
export function pipelineFallbackReply(botId: string, conversationLocale: Locale | null, userText: string, seq: number): BotReply {
  // The same detector the NLU uses, among the bot's locales (without the bot's trained profile:
  // the object has no model; the language data tells same-script languages apart well enough here).
  const locale = conversationLocale ?? detectLocale(userText, botLocales(botId)).locale;
  const own = BOT_FALLBACKS[botId];
  if (!own) return { text: PLATFORM_FALLBACK.text(locale), response: PLATFORM_FALLBACK.response };
  const localized = own.locales[locale] ?? own.locales[own.defaultLocale];
  if (!localized) return { text: PLATFORM_FALLBACK.text(locale), response: PLATFORM_FALLBACK.response };
  // One variation, chosen by the message's seq: varied across turns, stable for one.
  const text = localized.text[seq % localized.text.length] ?? PLATFORM_FALLBACK.text(locale);
  return { text, response: own.response, ...(localized.quickReplies ? { quickReplies: localized.quickReplies } : {}) };
}
