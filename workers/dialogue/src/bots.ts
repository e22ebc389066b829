/**
 * The bots this Worker serves: each bot's built-in version (1) from `generated/bots.json` and their
 * documents' indexes from `generated/knowledge.json` (`npm run build:bots`), and published versions
 * from the bot's registry (docs/bot-versions.md). Each is validated and indexed the first time it is
 * asked for, then cached for the isolate's life — published ones within a bound.
 */
import { z } from "zod";
import compiledBots from "../../../generated/bots.json";
import compiledKnowledge from "../../../generated/knowledge.json";
import { gunzipText } from "../../../shared/bot-versions/compression.ts";
import { VersionCache } from "../../../shared/bot-versions/version-cache.ts";
import { CompiledBotsSchema } from "../../../shared/schemas/bot.ts";
import { DialoguePartSchema } from "../../../shared/schemas/bot-versions.ts";
import { loadBot, type Bot } from "./engine/index.ts";

const cache = new Map<string, Bot>();
let compiled: z.output<typeof CompiledBotsSchema> | undefined;
/** Only the envelope here: each bot's indexes are validated when the bot is loaded. */
const KnowledgeEnvelopeSchema = z.object({ v: z.literal(1), bots: z.record(z.string(), z.unknown()) });
let knowledge: z.output<typeof KnowledgeEnvelopeSchema> | undefined;

/** Published versions an isolate keeps (a definition with its documents' index is 50–400 KB of JSON). */
const published = new VersionCache<Bot>({ maxEntries: 16, maxBytes: 32 * 1024 * 1024 });

/** The bot's built-in version (1), or undefined when this Worker was built without it. */
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

/** `version` of the bot: the built-in one needs no call; a published one is read from the registry once per isolate. */
export async function botFor(env: Pick<DialogueEnv, "BOT_REGISTRY">, botId: string, version: number): Promise<Bot | undefined> {
  if (version === 1) return getBot(botId);
  return published.get(`${botId}@${version}`, async () => {
    const bytes = await env.BOT_REGISTRY.get(env.BOT_REGISTRY.idFromName(botId)).part(version, "dialogue");
    if (bytes === null) throw new Error(`bot "${botId}" has no version ${version} in its registry`);
    const text = await gunzipText(bytes);
    const part = DialoguePartSchema.parse(JSON.parse(text));
    return { value: loadBot(part.definition, part.knowledge), bytes: text.length };
  });
}
