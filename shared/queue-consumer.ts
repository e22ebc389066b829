import type { z } from "zod";
import { queueLabel } from "./metrics/queue-label.ts";
import { metricsOff, type Metrics } from "./metrics/recorder.ts";
import { describeZodError } from "./zod-issues.ts";

/**
 * Runs `handle` for each message of a batch, validated against the queue's versioned schema.
 * Success acks; a failure or an unreadable body retries, and after max_retries the queue moves
 * the message to its dead-letter queue, whose consumer makes sure the user still gets an answer.
 * Each message's result (acked, retried, invalid) is counted in `metrics`.
 */
export async function consumeEach<T>(
  batch: MessageBatch<unknown>,
  schema: z.ZodType<T>,
  handle: (body: T, message: Message<unknown>) => Promise<void>,
  metrics: Metrics = metricsOff,
): Promise<void> {
  const count = (result: "acked" | "retried" | "invalid"): void =>
    metrics.count("stratus_queue_messages_total", { queue: queueLabel(batch.queue), result });
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = schema.safeParse(message.body);
      if (!parsed.success) {
        console.error(JSON.stringify({ event: "invalid_queue_message", queue: batch.queue, error: describeZodError(parsed.error) }));
        message.retry();
        count("invalid");
        return;
      }
      try {
        await handle(parsed.data, message);
        message.ack();
        count("acked");
      } catch (error) {
        console.error(JSON.stringify({ event: "turn_failed", queue: batch.queue, attempts: message.attempts, error: String(error) }));
        message.retry();
        count("retried");
      }
    }),
  );
}
