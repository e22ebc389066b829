// `npm run bench:turn-cost` runs the intent Worker from this entry: the real Worker, its queue
// sends logged for the benchmark (metered-env.ts). Nothing here runs in production.
import intent from "../../workers/intent/src/index.ts";
import { meteredEnv } from "./metered-env.ts";

export { NluService } from "../../workers/intent/src/index.ts";

export default {
  queue: (batch, env, ctx) => intent.queue(batch, meteredEnv(env), ctx),
} satisfies ExportedHandler<IntentEnv, unknown>;
