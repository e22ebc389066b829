/**
 * Trained NLU models of every bot, built by `npm run train` into generated/models.json and bundled
 * with the Worker. Each bot's artifact is decoded on first use only and cached for the isolate's life.
 */
import artifacts from "../../../generated/models.json";
import { loadModel, type NluModel } from "./nlu/index.ts";

const artifactsByBot = artifacts as Record<string, unknown>;
const loaded = new Map<string, NluModel>();

/** The bot's model, or undefined when no model was trained for that bot id. */
export function getModel(botId: string): NluModel | undefined {
  const cached = loaded.get(botId);
  if (cached) return cached;
  if (!Object.hasOwn(artifactsByBot, botId)) return undefined;
  const model = loadModel(artifactsByBot[botId]);
  loaded.set(botId, model);
  return model;
}
