import type { SlotDefinition } from "../../../../shared/schemas/bot.ts";
import { languageOf } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { formatter } from "./format.ts";
import { enumLabel } from "./free-words.ts";

/**
 * How an enum slot's value reads in a reply: its label, or for a multiple-choice slot the labels of
 * its values joined as the language joins a list ("kidney disease and asthma", "肾病和哮喘").
 */
export function enumValueLabel(slot: SlotDefinition, value: string, locale: Locale, defaultLocale: Locale): string {
  if (slot.multiple !== true) return enumLabel(slot, value, locale, defaultLocale);
  const labels = value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => enumLabel(slot, part, locale, defaultLocale));
  try {
    const { intlLocale } = languageOf(locale);
    return formatter(`l|${intlLocale}`, () => new Intl.ListFormat(intlLocale, { style: "long", type: "conjunction" })).format(labels);
  } catch {
    return labels.join(", ");
  }
}
