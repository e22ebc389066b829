import { IntentQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { flushMetricsLater, metricsFor } from "../../../shared/metrics/isolate.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { sendReport } from "../../../shared/queue-shards.ts";
import { understandTurn } from "./understand-turn.ts";

export { NluService } from "./nlu-service.ts";
export { BotRegistryDurableObject } from "../../../durable-objects/bot-registry/BotRegistryDurableObject.ts";

/** NLU is CPU work: one message at a time, each acknowledged before the next (shared/queue-consumer.ts). */
const INTENT_CONCURRENCY = 1;

export default {
  async queue(batch, env, ctx) {
    await consumeEach(batch, IntentQueueMessageSchema, (turn, message) => understandTurn(turn, message.attempts, env), {
      stage: "intent",
      reportFailure: (failure) => sendReport(env, "turn-failures", failure.conversationId, failure),
      metrics: metricsFor(env),
      concurrency: INTENT_CONCURRENCY,
    });
    flushMetricsLater(env, ctx);
  },
} satisfies ExportedHandler<IntentEnv, unknown>;
