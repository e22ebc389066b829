import { UI_LOCALES } from "../../../shared/languages/ui-strings.ts";
import type { BotCatalogEntry, Locale } from "../../js/src/types.ts";

/** `zh-Hans-CN` → `zh`: UI strings and bots are per language. */
const language = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";

/**
 * The widget's locale: the first of `wanted` (the site's setting, the page's `lang`, the browser's
 * languages, in that order) that the bot speaks and the widget has strings for; otherwise the bot's
 * default; otherwise English.
 */
export function pickLocale(wanted: readonly (string | null | undefined)[], bot: BotCatalogEntry | undefined): Locale {
  const speakable = UI_LOCALES.filter((locale) => !bot || bot.locales.includes(locale));
  for (const tag of wanted) {
    if (!tag) continue;
    const match = speakable.find((locale) => locale === language(tag));
    if (match) return match;
  }
  if (bot && UI_LOCALES.includes(bot.defaultLocale)) return bot.defaultLocale;
  return speakable[0] ?? "en";
}

/** What the page and the browser ask for, most specific first. */
export function pageLocales(setting: string | undefined): (string | null | undefined)[] {
  return [setting, document.documentElement.lang, ...(navigator.languages ?? []), navigator.language];
}
