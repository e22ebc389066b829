/** The not-advice disclaimers the finance and health engines' answers go out with, per locale. */
import type { Locale } from "../schemas/nlu.ts";

type Localised = Partial<Record<Locale, string>> & { en: string };

export const FINANCE_DISCLAIMER: Localised = {
  en:
    "This is general information worked out from your answers and the assumptions shown, not personal financial advice. " +
    "Investments can fall as well as rise and you may get back less than you put in; past or assumed returns are not guaranteed. " +
    "Consider talking to a licensed financial adviser before you decide.",
  zh: "以上内容是根据您的回答和所列假设计算出的一般信息，并非个人理财建议。投资有风险，价值可能下跌，您收回的金额可能少于投入；过往或假设的收益均不作保证。做出决定前，请考虑咨询持牌理财顾问。",
};

export const HEALTH_DISCLAIMER: Localised = {
  en:
    "This is general information based on what you told me, not a diagnosis or medical advice. " +
    "Always read the medicine's leaflet and ask a pharmacist or doctor before taking something new. " +
    "In an emergency call your local emergency number.",
  zh: "以上是根据您提供的情况给出的一般信息，不是诊断或医疗建议。服用新药前请务必阅读说明书，并咨询药剂师或医生。如遇紧急情况，请拨打当地急救电话。",
};

/** The text for a locale, English where a locale has none. */
export function localised(text: Localised, locale: Locale): string {
  return text[locale] ?? text.en;
}
