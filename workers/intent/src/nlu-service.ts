import { WorkerEntrypoint } from "cloudflare:workers";
import { NluParseBodySchema, type NluParseBody, type NluResult } from "../../../shared/schemas";
import { getModel } from "./models";
import { parse } from "./nlu";

/** RPC entrypoint for synchronous NLU (`POST /v1/nlu/parse` on the gateway). */
export class NluService extends WorkerEntrypoint<IntentEnv> {
  async parse(request: NluParseBody): Promise<NluResult> {
    const { text, bot, locale, timezone } = NluParseBodySchema.parse(request);
    const botId = bot ?? "ecommerce";
    const model = getModel(botId);
    if (!model) throw new Error(`no NLU model for bot "${botId}"`);
    return parse(model, text, { locale, timezone: timezone ?? "UTC", now: new Date().toISOString() });
  }
}
