import { DialogueQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { flushMetricsAfterBatch, metricsFor } from "../../../shared/metrics/isolate.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { decideTurn } from "./decide-turn.ts";

export default {
  async queue(batch, env, ctx) {
    await consumeEach(batch, DialogueQueueMessageSchema, (turn, message) => decideTurn(turn, message.attempts, env), {
      stage: "dialogue",
      reportFailure: (failure) => env.TURN_FAILURES.send(failure),
      metrics: metricsFor(env),
    });
    flushMetricsAfterBatch(env, ctx);
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
