import { z } from "zod";
import { flushMetricsAfterBatch, metricsFor } from "../../../shared/metrics/isolate.ts";
import { queueLabel } from "../../../shared/metrics/queue-label.ts";
import { conversationStub } from "./conversation-stub.ts";

/** Only the fields needed to find the turn; a dead letter may come from an older message version. */
const DeadTurnSchema = z.object({
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
});

/**
 * Consumes the intent and dialogue dead-letter queues: a turn whose retries ran out is reported
 * to its conversation at once, which re-dispatches it or answers with the fallback.
 */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: GatewayEnv, ctx: ExecutionContext): Promise<void> {
  metricsFor(env).count("stratus_dead_letters_total", { queue: queueLabel(batch.queue) }, batch.messages.length);
  await Promise.all(
    batch.messages.map(async (message) => {
      const turn = DeadTurnSchema.safeParse(message.body);
      console.error(JSON.stringify({ event: "dead_letter", queue: batch.queue, body: message.body }));
      if (!turn.success) {
        message.ack(); // Unreadable: logged above for a human; nobody is waiting for it.
        return;
      }
      try {
        await conversationStub(env, turn.data.conversationId).reportDeadLetter(turn.data.seq, turn.data.attempt);
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ event: "dead_letter_report_failed", error: String(error) }));
        message.retry();
      }
    }),
  );
  flushMetricsAfterBatch(env, ctx);
}
