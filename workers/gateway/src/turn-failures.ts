import { TurnFailureReportSchema } from "../../../shared/schemas/index.ts";
import { conversationStub } from "./conversation-stub.ts";

/** The queue the intent and dialogue consumers report failed deliveries on (their TURN_FAILURES producers). */
export const TURN_FAILURES_QUEUE = "stratus-turn-failures";

/**
 * Consumes `stratus-turn-failures`: each failed delivery an intent or dialogue consumer reported is
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
