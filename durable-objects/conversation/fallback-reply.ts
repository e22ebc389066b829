import type { Locale } from "../../shared/schemas/index.ts";

/** The response name of the answer a user gets when the pipeline could not produce one. */
export const PIPELINE_FALLBACK_RESPONSE = "stratus_pipeline_fallback";

const FALLBACK_TEXT: Record<Locale, string> = {
  en: "Sorry, I'm having trouble answering right now. Please try again in a moment.",
  zh: "抱歉，我暂时无法回答，请稍后再试。",
};

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** The polite fallback in the conversation's locale, or in the language the user wrote in. */
export function pipelineFallbackText(locale: Locale | null, userText: string): string {
  return FALLBACK_TEXT[locale ?? (HAN.test(userText) ? "zh" : "en")];
}
