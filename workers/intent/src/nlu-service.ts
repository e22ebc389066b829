import { WorkerEntrypoint } from "cloudflare:workers";
import { NluParseBodySchema, type NluResult } from "../../../shared/schemas/index.ts";
import { getModel } from "./models.ts";
import { parse } from "./nlu/index.ts";

/** What the gateway sends: the parse body with the bot already resolved against the catalog. */
const NluServiceRequestSchema = NluParseBodySchema.required({ bot: true });

/** RPC entrypoint for synchronous NLU (`POST /v1/nlu/parse` on the gateway). */
export class NluService extends WorkerEntrypoint<IntentEnv> {
  parse(request: unknown): NluResult {
    const { text, bot, locale, timezone } = NluServiceRequestSchema.parse(request);
    const model = getModel(bot);
    if (!model) throw new Error(`no NLU model for bot "${bot}"`);
    // Without a time zone or "now", parse uses UTC and the current time.
    return parse(model, text, { locale, timezone });
  }
}
