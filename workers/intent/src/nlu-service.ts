import { WorkerEntrypoint } from "cloudflare:workers";
import { gzipText } from "../../../shared/bot-versions/compression.ts";
import { NluParseBodySchema, TrainModelRequestSchema, type NluResult, type TrainedModel } from "../../../shared/schemas/index.ts";
import { TrainingDataSchema } from "../../../shared/schemas/training.ts";
import { getModel } from "./models.ts";
import { parse, train } from "./nlu/index.ts";

/** What the gateway sends: the parse body with the bot already resolved against the catalog. */
const NluServiceRequestSchema = NluParseBodySchema.required({ bot: true });

/** The seed `npm run train` uses by default: a published version trains exactly as the built-in bot was. */
const TRAINING_SEED = 1;

/** RPC entrypoint for synchronous NLU (`POST /v1/nlu/parse` on the gateway) and for training a published bot version. */
export class NluService extends WorkerEntrypoint<IntentEnv> {
  parse(request: unknown): NluResult {
    const { text, bot, locale, timezone } = NluServiceRequestSchema.parse(request);
    const model = getModel(bot);
    if (!model) throw new Error(`no NLU model for bot "${bot}"`);
    // Without a time zone or "now", parse uses UTC and the current time.
    return parse(model, text, { locale, timezone });
  }

  /**
   * Trains the NLU model of a bot version being published (PUT /v1/bots/{bot} on the gateway, which
   * has checked the bot): the same trainer and seed as `npm run train`, so the same training data
   * gives the same model. Answers the artifact gzip-compressed, as the registry stores it. Training
   * is CPU work: the example bots take 0.5–4 s (docs/bot-versions.md), within a Worker's CPU limit.
   */
  async trainModel(request: unknown): Promise<TrainedModel> {
    const { training, locales } = TrainModelRequestSchema.parse(request);
    const artifact = JSON.stringify(train(TrainingDataSchema.parse(training), { seed: TRAINING_SEED, locales }));
    return { model: await gzipText(artifact), modelJsonBytes: artifact.length };
  }
}
