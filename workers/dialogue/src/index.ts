import { DialogueQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { flushMetricsAfterBatch, metricsFor } from "../../../shared/metrics/isolate.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { decideTurn } from "./decide-turn.ts";

/** A dialogue turn mostly waits (backend actions, the LLM): several at a time (shared/queue-consumer.ts). */
const DIALOGUE_CONCURRENCY = 8;

export default {
  async queue(batch, env, ctx) {
    await consumeEach(batch, DialogueQueueMessageSchema, (turn, message) => decideTurn(turn, message.attempts, env), {
      stage: "dialogue",
      reportFailure: (failure) => env.TURN_FAILURES.send(failure),
      metrics: metricsFor(env),
      concurrency: DIALOGUE_CONCURRENCY,
    });
    flushMetricsAfterBatch(env, ctx);
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
