/**
 * The bots this Worker serves, from `generated/bots.json` and their documents' indexes from
 * `generated/knowledge.json` (`npm run build:bots`). Each bot is validated and indexed the first
 * time it is asked for, then cached for the isolate's life.
 */
import { z } from "zod";
import compiledBots from "../../../generated/bots.json";
import compiledKnowledge from "../../../generated/knowledge.json";
import { CompiledBotsSchema } from "../../../shared/schemas/bot.ts";
import { loadBot, type Bot } from "./engine/index.ts";

const cache = new Map<string, Bot>();
let compiled: z.output<typeof CompiledBotsSchema> | undefined;
/** Only the envelope here: each bot's indexes are validated when the bot is loaded. */
const KnowledgeEnvelopeSchema = z.object({ v: z.literal(1), bots: z.record(z.string(), z.unknown()) });
let knowledge: z.output<typeof KnowledgeEnvelopeSchema> | undefined;

export function getBot(botId: string): Bot | undefined {
  const cached = cache.get(botId);
  if (cached) return cached;
  compiled ??= CompiledBotsSchema.parse(compiledBots);
  if (!Object.hasOwn(compiled.bots, botId)) return undefined;
  knowledge ??= KnowledgeEnvelopeSchema.parse(compiledKnowledge);
  const bot = loadBot(compiled.bots[botId], Object.hasOwn(knowledge.bots, botId) ? knowledge.bots[botId] : undefined);
  cache.set(botId, bot);
  return bot;
}
