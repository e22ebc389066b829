import { z } from "zod";
import { flushMetricsLater, metricsFor } from "../../../shared/metrics/isolate.ts";
import { ConversationIdSchema } from "../../../shared/schemas/index.ts";
import { conversationStub, deadLetterRegistry, deadLetterShardOf } from "./conversation-stub.ts";

/** Only the fields needed to find the turn and its stage; a dead letter may come from an older message version. */
const DeadTurnSchema = z.object({
  kind: z.enum(["turn", "understood-turn"]),
  conversationId: ConversationIdSchema,
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
});

/**
 * Consumes every dead-letter queue: a turn whose retries ran out is reported to its conversation at
 * once, which re-dispatches it or answers with the fallback, and what the conversation answers is
 * recorded in the dead-letter registry for operators. The stage comes from the message itself (an
 * intent-queue message is a `turn`, a dialogue-queue one an `understood-turn`), not from the queue's
 * name, so any number of dead-letter queues can feed this consumer.
 */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: GatewayEnv, ctx: ExecutionContext): Promise<void> {
  const metrics = metricsFor(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      const turn = DeadTurnSchema.safeParse(message.body);
      if (!turn.success) {
        // Unreadable: logged for a human; nobody is waiting for it.
        console.error(JSON.stringify({ event: "dead_letter_unreadable", queue: batch.queue }));
        metrics.count("stratus_dead_letters_total", { queue: "other" });
        message.ack();
        return;
      }
      const { conversationId, seq, attempt, kind } = turn.data;
      const stage = kind === "turn" ? "intent" : "dialogue";
      metrics.count("stratus_dead_letters_total", { queue: stage });
      console.error(JSON.stringify({ event: "dead_letter", queue: batch.queue, conversationId, seq, attempt, stage }));
      try {
        const facts = await conversationStub(env, conversationId).reportDeadLetter(seq, attempt, stage);
        if (facts) await deadLetterRegistry(env, deadLetterShardOf(env, conversationId)).record({ ...facts, conversationId, deadAt: new Date().toISOString() });
        message.ack();
      } catch (error) {
        // Both calls are idempotent: the retry reports and records the same dead letter again.
        console.error(JSON.stringify({ event: "dead_letter_report_failed", conversationId, seq, error: String(error) }));
        message.retry();
      }
    }),
  );
  flushMetricsLater(env, ctx);
}
