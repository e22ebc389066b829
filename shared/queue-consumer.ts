import type { z } from "zod";
import type { Metrics } from "./metrics/recorder.ts";
import type { PipelineStage } from "./schemas/index.ts";
import { reportTurnFailure, type TurnFailureSink } from "./turn-failures.ts";
import { describeZodError } from "./zod-issues.ts";

/** Which stage a consumer is, where it tells a turn's conversation about a failed delivery, and where it counts. */
export interface ConsumerOptions {
  stage: PipelineStage;
  reportFailure: TurnFailureSink;
  /** Each message's result (acked, retried, invalid) is counted here. */
  metrics: Metrics;
}

/**
 * Runs `handle` for each message of a batch, validated against the queue's versioned schema.
 * Success acks; a failure or an unreadable body is reported to the turn's conversation (the last
 * error a dead letter shows) and retried, and after max_retries the queue moves the message to its
 * dead-letter queue, whose consumer makes sure the user still gets an answer.
 */
export async function consumeEach<T>(
  batch: MessageBatch<unknown>,
  schema: z.ZodType<T>,
  handle: (body: T, message: Message<unknown>) => Promise<void>,
  options: ConsumerOptions,
): Promise<void> {
  const count = (result: "acked" | "retried" | "invalid"): void =>
    options.metrics.count("stratus_queue_messages_total", { queue: options.stage, result });
  const failed = async (message: Message<unknown>, error: unknown) => {
    await reportTurnFailure(options.reportFailure, options.stage, { body: message.body, deliveries: message.attempts, error });
    message.retry();
  };
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = schema.safeParse(message.body);
      if (!parsed.success) {
        const problem = describeZodError(parsed.error);
        console.error(JSON.stringify({ event: "invalid_queue_message", queue: batch.queue, error: problem }));
        count("invalid");
        await failed(message, `invalid queue message: ${problem}`);
        return;
      }
      try {
        await handle(parsed.data, message);
        message.ack();
        count("acked");
      } catch (error) {
        console.error(JSON.stringify({ event: "turn_failed", queue: batch.queue, attempts: message.attempts, error: String(error) }));
        count("retried");
        await failed(message, error);
      }
    }),
  );
}
