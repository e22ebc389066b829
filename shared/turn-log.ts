/**
 * One JSON log line per pipeline stage, keyed by the turn's trace id (the gateway's request id),
 * so that Workers Logs can show a message's whole path across the three Workers.
 */
export function log(
  event: string,
  turn: { traceId: string; conversationId: string; seq: number; attempt: number },
  fields: Record<string, unknown> = {},
): void {
  console.log(
    JSON.stringify({ event, traceId: turn.traceId, conversationId: turn.conversationId, seq: turn.seq, attempt: turn.attempt, ...fields }),
  );
}
