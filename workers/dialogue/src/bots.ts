/**
 * The bots this Worker serves, from `generated/bots.json` (`npm run build:bots`). Each bot is
 * validated and indexed the first time it is asked for, then cached for the isolate's life.
 */
import type { z } from "zod";
import compiledBots from "../../../generated/bots.json";
import { CompiledBotsSchema } from "../../../shared/schemas/bot.ts";
import { loadBot, type Bot } from "./engine/index.ts";

const cache = new Map<string, Bot>();
let compiled: z.output<typeof CompiledBotsSchema> | undefined;

export function getBot(botId: string): Bot | undefined {
  const cached = cache.get(botId);
  if (cached) return cached;
  compiled ??= CompiledBotsSchema.parse(compiledBots);
  if (!Object.hasOwn(compiled.bots, botId)) return undefined;
  const bot = loadBot(compiled.bots[botId]);
  cache.set(botId, bot);
  return bot;
}
