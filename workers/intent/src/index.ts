import { IntentQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { flushMetricsAfterBatch, metricsFor } from "../../../shared/metrics/isolate.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { understandTurn } from "./understand-turn.ts";

export { NluService } from "./nlu-service.ts";

export default {
  async queue(batch, env, ctx) {
    await consumeEach(batch, IntentQueueMessageSchema, (turn, message) => understandTurn(turn, message.attempts, env), {
      stage: "intent",
      reportFailure: (failure) => env.TURN_FAILURES.send(failure),
      metrics: metricsFor(env),
    });
    flushMetricsAfterBatch(env, ctx);
  },
} satisfies ExportedHandler<IntentEnv, unknown>;
