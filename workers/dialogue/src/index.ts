import { sendReportBatch } from "../../../shared/conversation-reports.ts";
import { DialogueQueueMessageSchema, type ConversationReports } from "../../../shared/schemas/index.ts";
import { flushMetricsLater, metricsFor } from "../../../shared/metrics/isolate.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { sendReport } from "../../../shared/queue-shards.ts";
import { decideTurn } from "./decide-turn.ts";

/** A dialogue turn mostly waits (backend actions, the LLM): several at a time (shared/queue-consumer.ts). */
const DIALOGUE_CONCURRENCY = 8;

export default {
  async queue(batch, env, ctx) {
    // What the batch's conversations reported of their turns: sent as one message per analytics shard.
    const reports: ConversationReports[] = [];
    await consumeEach(
      batch,
      DialogueQueueMessageSchema,
      async (turn, message) => {
        const reported = await decideTurn(turn, message.attempts, env);
        if (reported) reports.push(reported);
      },
      {
        stage: "dialogue",
        reportFailure: (failure) => sendReport(env, "turn-failures", failure.conversationId, failure),
        metrics: metricsFor(env),
        concurrency: DIALOGUE_CONCURRENCY,
      },
    );
    await sendReportBatch(env, reports, metricsFor(env));
    flushMetricsLater(env, ctx);
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
