// The locales a bot folder declares (bot.yaml `locales`, `defaultLocale`), read on their own so that
// training needs no complete bot definition: the NLU model detects among them, default first.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { BotLocalesSchema } from "../../shared/schemas/bot.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { describeFileIssues } from "../../shared/zod-issues.ts";

/** The bot's locales with its default first; undefined when the folder has no bot.yaml. Throws naming the problem. */
export function readBotLocales(botDir: string, shownName = join(botDir, "bot.yaml")): Locale[] | undefined {
  const file = join(botDir, "bot.yaml");
  if (!existsSync(file)) return undefined;
  const result = BotLocalesSchema.safeParse(parseYaml(readFileSync(file, "utf8")));
  if (!result.success) throw new Error(describeFileIssues(result.error, shownName));
  return result.data;
}
