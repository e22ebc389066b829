/**
 * Trained NLU models: each bot's built-in one (version 1), built by `npm run train` into
 * generated/models.json and bundled with the Worker, and the models of published versions, loaded
 * from the bot's registry (docs/bot-versions.md). Each is decoded on first use only and cached for
 * the isolate's life — published ones within a bound, since an isolate has 128 MB.
 */
import artifacts from "../../../generated/models.json";
import { gunzipText } from "../../../shared/bot-versions/compression.ts";
import { VersionCache } from "../../../shared/bot-versions/version-cache.ts";
import { loadModel, type NluModel } from "./nlu/index.ts";

const artifactsByBot = artifacts as Record<string, unknown>;
const loaded = new Map<string, NluModel>();

/**
 * Published versions an isolate keeps: the example bots' models are 140–490 KB of JSON (their
 * decoded typed arrays take less), so 32 MB holds dozens; a deployment rarely runs more than two
 * versions of a bot at once (current and canary, plus conversations still on older ones).
 */
const published = new VersionCache<NluModel>({ maxEntries: 16, maxBytes: 32 * 1024 * 1024 });

/** The bot's built-in model (version 1), or undefined when no model was trained for that bot id. */
export function getModel(botId: string): NluModel | undefined {
  const cached = loaded.get(botId);
  if (cached) return cached;
  if (!Object.hasOwn(artifactsByBot, botId)) return undefined;
  const model = loadModel(artifactsByBot[botId]);
  loaded.set(botId, model);
  return model;
}

/** The model of `version` of the bot: the built-in one needs no call; a published one is read from the registry once per isolate. */
export async function modelFor(env: Pick<IntentEnv, "BOT_REGISTRY">, botId: string, version: number): Promise<NluModel | undefined> {
  if (version === 1) return getModel(botId);
  return published.get(`${botId}@${version}`, async () => {
    const bytes = await env.BOT_REGISTRY.get(env.BOT_REGISTRY.idFromName(botId)).part(version, "model");
    if (bytes === null) throw new Error(`bot "${botId}" has no version ${version} in its registry`);
    const text = await gunzipText(bytes);
    return { value: loadModel(JSON.parse(text)), bytes: text.length };
  });
}
