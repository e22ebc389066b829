/**
 * A consumer's failed delivery of a turn, reported on the `stratus-turn-failures` queue (the gateway
 * tells the turn's conversation) so that a dead letter can say what went wrong (`lastError` in
 * `GET /v1/dead-letters`). Best effort: a report that cannot be sent is logged and changes nothing
 * about the message, which the queue retries anyway.
 */
import { z } from "zod";
import { MAX_ERROR_TEXT, type PipelineStage, type TurnFailureReport } from "./schemas/index.ts";

/** The fields a failed message needs to name its turn; read leniently, since the body may be what failed validation. */
const FailedTurnSchema = z.object({
  conversationId: z.string().min(1),
  seq: z.number().int().positive(),
  attempt: z.number().int().positive(),
});

/** Where a Worker sends its reports: its conversation's shard of the `turn-failures` report queue (shared/queue-shards.ts). */
export type TurnFailureSink = (report: TurnFailureReport) => Promise<unknown>;

export interface FailedDelivery {
  body: unknown;
  deliveries: number;
  error: unknown;
}

export async function reportTurnFailure(sink: TurnFailureSink, stage: PipelineStage, failed: FailedDelivery): Promise<void> {
  const turn = FailedTurnSchema.safeParse(failed.body);
  if (!turn.success) return;
  const { conversationId, seq, attempt } = turn.data;
  try {
    await sink({ v: 1, conversationId, seq, attempt, stage, deliveries: failed.deliveries, error: describeFailure(failed.error) });
  } catch (error) {
    console.error(JSON.stringify({ event: "turn_failure_not_reported", conversationId, seq, attempt, error: String(error).slice(0, MAX_ERROR_TEXT) }));
  }
}

/**
 * The error as an operator reads it: its first line, without what a URL may carry besides its
 * place (credentials, a query string with a key in it), cut to MAX_ERROR_TEXT characters.
 */
export function describeFailure(error: unknown): string {
  const text = String(error).split("\n")[0] ?? "";
  const redacted = text.replace(/\b(https?:\/\/)(?:[^\s/@]*@)?([^\s/?#]+)([^\s?#]*)(?:[?#]\S*)?/gi, "$1$2$3");
  return redacted.length > MAX_ERROR_TEXT ? `${redacted.slice(0, MAX_ERROR_TEXT - 1)}…` : redacted;
}
