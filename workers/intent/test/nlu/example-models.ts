/**
 * The example bots' trained models (generated/models.json, written by `npm run build`), for tests
 * that read real messages the way the intent Worker does. Suites skip when the file is missing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NluResult } from "../../../../shared/schemas/nlu.ts";
import { loadModel, type NluModel } from "../../src/nlu/model.ts";
import { parse } from "../../src/nlu/parse.ts";

const modelsFile = join(import.meta.dirname, "../../../../generated/models.json");

/** Whether `npm run build` has written the example bots' models. */
export const HAS_EXAMPLE_MODELS = existsSync(modelsFile);

const artifacts: Record<string, unknown> = HAS_EXAMPLE_MODELS ? (JSON.parse(readFileSync(modelsFile, "utf8")) as Record<string, unknown>) : {};
const loaded = new Map<string, NluModel>();

/** An example bot's model, loaded once per test file. */
export function exampleModel(bot: string): NluModel {
  let model = loaded.get(bot);
  if (!model) {
    model = loadModel(artifacts[bot]);
    loaded.set(bot, model);
  }
  return model;
}

/** What the example bot's NLU makes of `text`, at a fixed time in UTC. */
export function understand(bot: string, text: string): NluResult {
  return parse(exampleModel(bot), text, { timezone: "UTC", now: "2026-12-07T10:00:00Z" });
}
