import { TurnFailureReportSchema } from "../../../shared/schemas/index.ts";
import { conversationStub } from "./conversation-stub.ts";

/**
 * Consumes `stratus-turn-failures` (every shard: shared/queue-shards.ts report queues): each failed delivery an intent or dialogue consumer reported is
 * handed to its turn's conversation, where a dead letter of the turn later finds its last error.
 */
export async function handleTurnFailures(batch: MessageBatch<unknown>, env: GatewayEnv): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const report = TurnFailureReportSchema.safeParse(message.body);
      if (!report.success) {
        console.error(JSON.stringify({ event: "turn_failure_unreadable", queue: batch.queue }));
        message.ack();
        return;
      }
      try {
        await conversationStub(env, report.data.conversationId).recordTurnFailure(report.data);
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ event: "turn_failure_not_recorded", conversationId: report.data.conversationId, error: String(error) }));
        message.retry();
      }
    }),
  );
}
