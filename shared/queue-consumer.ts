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
  /**
   * How many first deliveries run at once: 1 for a stage whose work is CPU (the NLU), so each
   * message is acknowledged before the next one starts; more for one that mostly waits (backend
   * and LLM calls). Messages delivered before always run one at a time, after the others.
   */
  concurrency: number;
}

/** The part of a queue message the consumer uses (the runtime's `Message`). */
type QueueMessage = Pick<Message<unknown>, "body" | "attempts" | "ack" | "retry">;

/**
 * Runs `handle` for each message of a batch, validated against the queue's versioned schema.
 * Success acks; a failure or an unreadable body is reported to the turn's conversation (the last
 * error a dead letter shows) and retried, and after max_retries the queue moves the message to its
 * dead-letter queue, whose consumer makes sure the user still gets an answer.
 *
 * One message cannot take its batch down: each is acknowledged as soon as it is done, so an
 * invocation that dies part-way (a thrown error, the CPU limit) has the queue deliver again only
 * the messages it had not finished; and messages delivered before — the suspects — run last, one
 * at a time, so one that keeps failing fails alone while the others in its batch are answered.
 */
export async function consumeEach<T>(
  batch: { queue: string; messages: readonly QueueMessage[] },
  schema: z.ZodType<T>,
  handle: (body: T, message: QueueMessage) => Promise<void>,
  options: ConsumerOptions,
): Promise<void> {
  const count = (result: "acked" | "retried" | "invalid"): void =>
    options.metrics.count("stratus_queue_messages_total", { queue: options.stage, result });
  const failed = async (message: QueueMessage, error: unknown) => {
    await reportTurnFailure(options.reportFailure, options.stage, { body: message.body, deliveries: message.attempts, error });
    message.retry();
  };
  const consume = async (message: QueueMessage): Promise<void> => {
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
  };
  const fresh = batch.messages.filter((message) => message.attempts <= 1);
  const redelivered = batch.messages.filter((message) => message.attempts > 1);
  await inPool(fresh, Math.max(1, options.concurrency), consume);
  for (const message of redelivered) await consume(message);
}

/** Runs `work` on every item, at most `limit` at a time, in order of the items. */
async function inPool<Item>(items: readonly Item[], limit: number, work: (item: Item) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as Item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
