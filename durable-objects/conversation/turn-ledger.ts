import { z } from "zod";
import { ClientKeySchema, PipelineStageSchema, TurnTimingsSchema, type TurnFailureReport, type TurnTimings } from "../../shared/schemas/index.ts";

/**
 * Where each user message is on its way to an answer: one row per user message in the `turns`
 * table. The rules that move a turn along are in turn-scheduler.ts; this class only stores them.
 *
 *   queued ──dispatch──▶ dispatched ──result/fallback──▶ answered (outcome "bot" / "fallback")
 *      └──────────┴───── (a human has the conversation) ──▶ answered (outcome "held")
 *      ▲                                                          │
 *      └──────────── an operator replays a "fallback" turn ───────┘ (replay_from = its attempt then)
 */
const TurnStatusSchema = z.enum(["queued", "dispatched", "answered"]);
const TurnOutcomeSchema = z.enum(["bot", "fallback", "held"]);
export type TurnStatus = z.infer<typeof TurnStatusSchema>;
export type TurnOutcome = z.infer<typeof TurnOutcomeSchema>;

const TurnRowSchema = z
  .object({
    seq: z.number().int().positive(),
    status: TurnStatusSchema,
    /** Dispatches so far: 0 while queued. */
    attempt: z.number().int().nonnegative(),
    trace_id: z.string(),
    /** The W3C trace context the turn continues (null for turns opened before it was kept). */
    traceparent: z.string().nullable(),
    /** When the user message was stored (null for turns opened before it was kept). */
    opened_at: z.number().nullable(),
    dispatched_at: z.number().nullable(),
    outcome: TurnOutcomeSchema.nullable(),
    failure_attempt: z.number().int().positive().nullable(),
    failure_stage: PipelineStageSchema.nullable(),
    failure_deliveries: z.number().int().positive().nullable(),
    failure_error: z.string().nullable(),
    replay_from: z.number().int().nonnegative().nullable(),
    client: ClientKeySchema.nullable(),
  })
  .transform((row) => ({
    seq: row.seq,
    status: row.status,
    attempt: row.attempt,
    traceId: row.trace_id,
    traceparent: row.traceparent,
    openedAt: row.opened_at,
    dispatchedAt: row.dispatched_at,
    outcome: row.outcome,
    /** The last failed delivery a consumer reported for this turn (what its dead letter shows). */
    failure:
      row.failure_attempt === null || row.failure_stage === null || row.failure_deliveries === null
        ? null
        : { attempt: row.failure_attempt, stage: row.failure_stage, deliveries: row.failure_deliveries, error: row.failure_error ?? "" },
    /** Set once an operator replayed the turn: the attempt it had then (its replay's dispatches count from there). */
    replayFrom: row.replay_from,
    /** The writer's hashed address (per-address budgets downstream), null when unknown. */
    client: row.client,
  }));
export type Turn = z.output<typeof TurnRowSchema>;

export class TurnLedger {
  constructor(private readonly sql: SqlStorage) {}

  add(seq: number, trace: { traceId: string; traceparent?: string | undefined }, openedAt: number, client?: string): Turn {
    return this.parse(
      this.sql
        .exec(
          "INSERT INTO turns (seq, status, attempt, trace_id, traceparent, opened_at, client) VALUES (?, 'queued', 0, ?, ?, ?, ?) RETURNING *",
          seq,
          trace.traceId,
          trace.traceparent ?? null,
          openedAt,
          client ?? null,
        )
        .one(),
    );
  }

  get(seq: number): Turn | undefined {
    return this.first("SELECT * FROM turns WHERE seq = ?", seq);
  }

  /** The turn waiting for its reply, if any. */
  inFlight(): Turn | undefined {
    return this.first("SELECT * FROM turns WHERE status = 'dispatched' ORDER BY seq LIMIT 1");
  }

  /** The oldest turn not yet sent on its way. */
  nextQueued(): Turn | undefined {
    return this.first("SELECT * FROM turns WHERE status = 'queued' ORDER BY seq LIMIT 1");
  }

  /** Every turn not answered yet (queued or dispatched), oldest first. */
  unanswered(): Turn[] {
    return this.sql.exec("SELECT * FROM turns WHERE status <> 'answered' ORDER BY seq").toArray().map((row) => this.parse(row));
  }

  markDispatched(seq: number, attempt: number, at: number): void {
    this.sql.exec("UPDATE turns SET status = 'dispatched', attempt = ?, dispatched_at = ? WHERE seq = ?", attempt, at, seq);
  }

  /** Closes the turn; `timings` are the stage timestamps its result brought back (bot-answered turns). */
  markAnswered(seq: number, outcome: TurnOutcome, at: number, timings?: TurnTimings): void {
    this.sql.exec(
      "UPDATE turns SET status = 'answered', outcome = ?, answered_at = ?, timings = ? WHERE seq = ?",
      outcome,
      at,
      timings ? JSON.stringify(timings) : null,
      seq,
    );
  }

  /** The stage timestamps kept with an answered turn (issue #10's load bench and the analytics read them). */
  timings(seq: number): TurnTimings | undefined {
    const row = this.sql.exec<{ timings: string | null }>("SELECT timings FROM turns WHERE seq = ?", seq).toArray()[0];
    return row?.timings ? TurnTimingsSchema.parse(JSON.parse(row.timings)) : undefined;
  }

  /** Back in the queue for an operator's replay; its dispatches now count from the attempt it has. */
  markReplaying(seq: number): void {
    this.sql.exec("UPDATE turns SET status = 'queued', outcome = NULL, answered_at = NULL, replay_from = attempt WHERE seq = ?", seq);
  }

  recordFailure(report: TurnFailureReport): void {
    this.sql.exec(
      `UPDATE turns SET failure_attempt = ?, failure_stage = ?, failure_deliveries = ?, failure_error = ?
       WHERE seq = ? AND (failure_attempt IS NULL OR failure_attempt < ? OR (failure_attempt = ? AND failure_deliveries <= ?))`,
      report.attempt,
      report.stage,
      report.deliveries,
      report.error,
      report.seq,
      report.attempt,
      report.attempt,
      report.deliveries,
    );
  }

  private first(query: string, ...bindings: SqlStorageValue[]): Turn | undefined {
    const row = this.sql.exec(query, ...bindings).toArray()[0];
    return row === undefined ? undefined : this.parse(row);
  }

  private parse(row: Record<string, SqlStorageValue>): Turn {
    return TurnRowSchema.parse(row);
  }
}
