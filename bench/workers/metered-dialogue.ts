// `npm run bench:turn-cost` runs the dialogue Worker from this entry: the real Worker, its
// bindings metered for the benchmark (metered-env.ts). Nothing here runs in production.
import dialogue from "../../workers/dialogue/src/index.ts";
import { meteredEnv } from "./metered-env.ts";

export default {
  queue: (batch, env, ctx) => dialogue.queue(batch, meteredEnv(env), ctx),
} satisfies ExportedHandler<DialogueEnv, unknown>;
