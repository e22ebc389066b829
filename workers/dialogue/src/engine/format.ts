import type { SlotType } from "../../../../shared/schemas/bot.ts";
import type { SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { languageOf } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";

/** How a slot value reads inside a reply, in the reply's locale and the conversation's time zone. */
export function formatSlotValue(value: SlotValue | undefined, type: SlotType | undefined, locale: Locale, timezone: string): string {
  if (value === null || value === undefined) return "";
  const { intlLocale, yesNo } = languageOf(locale);
  try {
    if (typeof value === "boolean") return value ? yesNo[0] : yesNo[1];
    if (typeof value === "number") return formatter(`n|${intlLocale}`, () => new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 4 })).format(value);
    if (typeof value === "object") {
      return formatter(`c|${intlLocale}|${value.currency}`, () => new Intl.NumberFormat(intlLocale, { style: "currency", currency: value.currency })).format(value.amount);
    }
    if (type === "date") return formatDate(value, intlLocale, timezone);
    return value;
  } catch {
    // An odd currency code or time zone must not break a reply: show the raw value instead.
    return typeof value === "object" ? `${value.amount} ${value.currency}` : String(value);
  }
}

function formatDate(value: string, intlLocale: string, timezone: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(instant.getTime())) return value;
  // A calendar date has no time zone: format it in UTC so it is not shifted a day.
  const zone = dateOnly ? "UTC" : timezone;
  return formatter(`d|${intlLocale}|${dateOnly ? "date" : "time"}|${zone}`, () =>
    new Intl.DateTimeFormat(intlLocale, { dateStyle: "medium", ...(dateOnly ? { timeZone: "UTC" } : { timeStyle: "short", timeZone: timezone }) }),
  ).format(instant);
}

/**
 * Intl formatters by what they format (locale, currency, time zone): building one costs far more
 * than formatting with it, and a turn formats several slot values. A key that throws (an odd
 * currency or zone) is never stored. Bounded: a bot's locales × currencies × zones in use.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();
const MAX_FORMATTERS = 256;

export function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, build: () => T): T {
  const cached = formatters.get(key) as T | undefined;
  if (cached) return cached;
  const built = build();
  if (formatters.size >= MAX_FORMATTERS) formatters.clear();
  formatters.set(key, built);
  return built;
}
