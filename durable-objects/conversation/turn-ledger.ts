/**
 * Where each user message is on its way to an answer. Only one turn per conversation is
 * `dispatched` at a time, which is what keeps replies in the order the user wrote.
 *
 *   queued ──dispatch──▶ dispatched ──result/fallback──▶ answered
 *      └──────────────── (conversation handed off) ──────────▶ answered (outcome "held")
 */
export type TurnStatus = "queued" | "dispatched" | "answered";
export type TurnOutcome = "bot" | "fallback" | "held";

export interface Turn {
  seq: number;
  status: TurnStatus;
  attempt: number;
  traceId: string;
  dispatchedAt: number | null;
}

interface TurnRow extends Record<string, SqlStorageValue> {
  seq: number;
  status: string;
  attempt: number;
  trace_id: string;
  dispatched_at: number | null;
}

export class TurnLedger {
  constructor(private readonly sql: SqlStorage) {}

  open(seq: number, traceId: string): void {
    this.sql.exec("INSERT INTO turns (seq, status, attempt, trace_id) VALUES (?, 'queued', 0, ?)", seq, traceId);
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

  markDispatched(seq: number, attempt: number, at: number): void {
    this.sql.exec(
      "UPDATE turns SET status = 'dispatched', attempt = ?, dispatched_at = ? WHERE seq = ?",
      attempt,
      at,
      seq,
    );
  }

  markAnswered(seq: number, outcome: TurnOutcome, at: number): void {
    this.sql.exec(
      "UPDATE turns SET status = 'answered', outcome = ?, answered_at = ? WHERE seq = ?",
      outcome,
      at,
      seq,
    );
  }

  private first(query: string, ...bindings: SqlStorageValue[]): Turn | undefined {
    const row = this.sql.exec<TurnRow>(query, ...bindings).toArray()[0];
    if (!row) return undefined;
    return {
      seq: row.seq,
      status: row.status as TurnStatus, // written only by this class
      attempt: row.attempt,
      traceId: row.trace_id,
      dispatchedAt: row.dispatched_at,
    };
  }
}
