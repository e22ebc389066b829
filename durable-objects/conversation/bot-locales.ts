import catalogJson from "../../generated/catalog.json";
import { LOCALES, type Locale } from "../../shared/languages/index.ts";
import { BotCatalogSchema } from "../../shared/schemas/index.ts";

/** Each bot's locales, its default first (the order the locale detector takes its candidates in). */
const LOCALES_BY_BOT = new Map(
  BotCatalogSchema.parse(catalogJson).bots.map((bot): [string, [Locale, ...Locale[]]] => [
    bot.id,
    [bot.defaultLocale, ...bot.locales.filter((locale) => locale !== bot.defaultLocale)],
  ]),
);

/**
 * The locales a bot speaks, default first. A conversation always belongs to a bot the deployment
 * serves; for one it no longer serves, every language the platform knows (the registry's order).
 */
export function botLocales(botId: string): readonly [Locale, ...Locale[]] {
  return LOCALES_BY_BOT.get(botId) ?? LOCALES;
}
