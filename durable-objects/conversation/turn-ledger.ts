import {
  BotRowBodySchema,
  UserRowBodySchema,
  initialDialogueState,
  type BotReply,
  type DialogueState,
  type Message,
  type NluResult,
  type StoredBotRow,
  type StoredDialogueState,
  type StoredTurn,
  type TurnFailureReport,
  type Locale,
  type UserRowBody,
} from "../../shared/schemas/index.ts";
import { rowBody, type ConversationLog } from "./conversation-log.ts";
import type { ConversationRecord } from "./conversation-record.ts";
import { replyToOf, storedNlu, type Transcript } from "./transcript.ts";

/**
 * Where each user message is on its way to an answer (the rules that move a turn along are in
 * turn-scheduler.ts; this class only keeps the turns).
 *
 *   queued ──dispatch──▶ dispatched ──result/fallback──▶ answered (outcome "bot" / "fallback")
 *      └──────────┴───── (a human has the conversation) ──▶ answered (outcome "held")
 *      ▲                                                          │
 *      └──────────── an operator replays a "fallback" turn ───────┘ (replayFrom = its attempt then)
 *
 * A turn lives in its user message's row of the conversation log, written with the message. The
 * common path writes nothing more: the bot's replies are one row that closes the turn and carries
 * the dialogue state after it. So a turn costs two rows written, and a turn's own row is rewritten
 * only off the common path (queued behind another, sent again, a failure reported, held, replayed).
 *
 * The open turns are kept in memory, found once per object start by reading the log backwards:
 * turns are answered in the order they were written (one in flight at a time), so the open ones
 * are those after the newest answered one — plus the turns an operator is replaying, which the
 * record lists.
 */
export interface Turn {
  seq: number;
  status: "queued" | "dispatched" | "answered";
  /** Dispatches so far: 0 while queued. */
  attempt: number;
  traceId: string;
  /** The W3C trace context the turn continues (null when the client sent none). */
  traceparent: string | null;
  /** When the user message was stored. */
  openedAt: number | null;
  dispatchedAt: number | null;
  outcome: "bot" | "fallback" | "held" | null;
  /** The last failed delivery a consumer reported for this turn (what its dead letter shows). */
  failure: { attempt: number; stage: "intent" | "dialogue"; deliveries: number; error: string } | null;
  /** Set once an operator replayed the turn: the attempt it had then (its replay's dispatches count from there). */
  replayFrom: number | null;
  /** The writer's hashed address (per-address budgets downstream), null when unknown. */
  client: string | null;
}

export interface NewUserTurn {
  text: string;
  clientMessageId?: string | undefined;
  traceId: string;
  traceparent?: string | undefined;
  client?: string | undefined;
}

/** The conversation's first bot row, as the analytics reporter reads it (`TurnLedger.firstAnswer`). */
export interface FirstAnswer {
  replyTo: number;
  at: number;
  locale: Locale | undefined;
}

/** How a new user message's turn starts: sent on at once, behind the one in flight, or held for a person. */
export type OpeningStatus = "dispatched" | "queued" | "held";

/** How many rows a start-up read takes at a time, walking the log backwards. */
const SCAN_PAGE = 16;

interface OpenTurns {
  open: Map<number, Turn>;
  /** The dialogue state after the newest turn that set one. */
  state: DialogueState;
}

export class TurnLedger {
  private loaded: OpenTurns | undefined;
  /** The first bot row's facts once it exists: bot rows are never rewritten, so it changes only when the storage is deleted. */
  private first: FirstAnswer | undefined;

  constructor(
    private readonly log: ConversationLog,
    private readonly record: Pick<ConversationRecord, "replaying" | "setReplaying" | "replylessState" | "setReplylessState">,
    private readonly transcript: Pick<Transcript, "messagesOf" | "rememberClientMessageId">,
  ) {}

  /** Stores a user message with its turn; returns both. */
  open(input: NewUserTurn, status: OpeningStatus, now: number): { message: Message; turn: Turn } {
    const seq = this.log.takeSeqs(1);
    // A turn dispatched as it is written leaves out `d`: it is the row's own time.
    const stored: StoredTurn = status === "dispatched" ? { s: "d", a: 1 } : status === "held" ? { s: "a", a: 0, o: "held" } : { s: "q", a: 0 };
    const body: UserRowBody = {
      x: input.text,
      ...(input.clientMessageId === undefined ? {} : { c: input.clientMessageId }),
      i: input.traceId,
      ...(input.traceparent === undefined ? {} : { p: input.traceparent }),
      ...(input.client === undefined ? {} : { k: input.client }),
      t: stored,
    };
    this.log.insert(seq, "u", now, body);
    this.transcript.rememberClientMessageId(input.clientMessageId, seq);
    const turn = turnOf(seq, now, body);
    if (turn.status !== "answered") this.index().open.set(seq, turn);
    const [message] = this.transcript.messagesOf({ seq, kind: "u", at: now, body: JSON.stringify(body) });
    if (!message) throw new Error(`user message ${seq} was not stored`);
    return { message, turn };
  }

  get(seq: number): Turn | undefined {
    const open = this.index().open.get(seq);
    if (open) return open;
    const row = this.log.row(seq);
    if (row?.kind !== "u") return undefined;
    const turn = turnOf(seq, row.at, rowBody(row, UserRowBodySchema));
    // Not open: answered — by its own row's word, or by the reply row that closed it.
    return { ...turn, status: "answered", outcome: turn.outcome ?? this.closingOutcome(seq) };
  }

  /** The turn waiting for its reply, if any. */
  inFlight(): Turn | undefined {
    return this.openTurns().find((turn) => turn.status === "dispatched");
  }

  /** The oldest turn not yet sent on its way. */
  nextQueued(): Turn | undefined {
    return this.openTurns().find((turn) => turn.status === "queued");
  }

  /** Every turn not answered yet (queued or dispatched), oldest first. */
  unanswered(): Turn[] {
    return this.openTurns();
  }

  /** The dialogue state after the last turn the bot answered. */
  state(): DialogueState {
    return this.index().state;
  }

  /**
   * The conversation's first bot row: the user message it answers, when it was written and the
   * locale its NLU result had (none for the pipeline fallback). Undefined before the bot first replied.
   */
  firstAnswer(): FirstAnswer | undefined {
    if (this.first) return this.first;
    const row = this.log.firstOfKind("b");
    if (!row) return undefined;
    const body = rowBody(row, BotRowBodySchema);
    this.first = { replyTo: replyToOf(row.seq, body), at: row.at, locale: body.n?.l };
    return this.first;
  }

  markDispatched(seq: number, attempt: number, at: number): void {
    this.rewrite(seq, (turn) => ({ ...turn, s: "d", a: attempt, d: at }));
  }

  /**
   * Closes a turn with replies (the bot's, or the pipeline fallback): one row holding all of them,
   * which says the turn is answered — and, for the bot's, the dialogue state after it.
   */
  closeWithReplies(
    turn: Turn,
    replies: readonly BotReply[],
    closing: { outcome: "bot"; state: DialogueState; nlu: NluResult } | { outcome: "fallback"; state?: undefined; nlu?: undefined },
    now: number,
  ): Message[] {
    const replayed = turn.replayFrom !== null;
    const seq = this.log.takeSeqs(replies.length);
    // Left out when they say nothing new: the reply right after its message, a state the turn did not change.
    const stateChanged = closing.state !== undefined && JSON.stringify(closing.state) !== JSON.stringify(this.index().state);
    const body: StoredBotRow = {
      ...(turn.seq === seq - 1 ? {} : { r: turn.seq }),
      m: replies.map((reply) => ({
        x: reply.text,
        ...(reply.response ? { rs: reply.response } : {}),
        ...(reply.quickReplies?.length ? { q: reply.quickReplies } : {}),
        ...(reply.sources?.length ? { so: reply.sources } : {}),
        ...(reply.cards?.length ? { cd: reply.cards } : {}),
      })),
      ...(closing.nlu ? { n: storedNlu(closing.nlu) } : {}),
      ...(replayed ? { rp: 1 } : {}),
      z: closing.outcome,
      ...(closing.state && stateChanged ? { s: compactState(closing.state) } : {}),
    };
    this.log.insert(seq, "b", now, body);
    this.closed(turn, closing.state);
    return this.transcript.messagesOf({ seq, kind: "b", at: now, body: JSON.stringify(body) });
  }

  /** Closes a turn no reply row answers: held for a person, a replay that failed too, a bot result without replies. */
  closeWithoutReplies(turn: Turn, outcome: "bot" | "fallback" | "held", state?: DialogueState): void {
    this.rewrite(turn.seq, (stored) => ({ ...stored, s: "a", o: outcome }));
    if (state) this.record.setReplylessState({ seq: this.log.lastSeq(), value: state });
    this.closed(turn, state);
  }

  /**
   * Replaces a user message's stored text with one masked further (what the bot marks sensitive,
   * known once its turn was understood: redaction-at-rest.ts). One row rewritten, only when it changes.
   */
  replaceText(seq: number, text: string): void {
    const row = this.log.row(seq);
    if (row?.kind !== "u") return;
    const body = rowBody(row, UserRowBodySchema);
    if (body.x !== text) this.log.update(seq, { ...body, x: text });
  }

  /** Back in the queue for an operator's replay; its dispatches now count from the attempt it has. */
  markReplaying(seq: number): void {
    const lastSeq = this.log.lastSeq();
    this.rewrite(seq, (turn) => ({ s: "q", a: turn.a, ...(turn.f ? { f: turn.f } : {}), r: turn.a, rs: lastSeq }), true);
    this.record.setReplaying([...this.record.replaying().filter((open) => open !== seq), seq]);
  }

  recordFailure(report: TurnFailureReport): void {
    const turn = this.get(report.seq);
    if (!turn) return;
    const last = turn.failure;
    const newer = !last || last.attempt < report.attempt || (last.attempt === report.attempt && last.deliveries <= report.deliveries);
    if (!newer) return;
    const failure = { attempt: report.attempt, stage: report.stage, deliveries: report.deliveries, error: report.error };
    this.rewrite(report.seq, (stored) => ({ ...stored, f: failure }));
  }

  /** Drops what is kept in memory: after the conversation's storage was deleted. */
  forget(): void {
    this.loaded = undefined;
    this.first = undefined;
  }

  private closed(turn: Turn, state: DialogueState | undefined): void {
    const index = this.index();
    index.open.delete(turn.seq);
    if (state) index.state = state;
    if (turn.replayFrom !== null) this.record.setReplaying(this.record.replaying().filter((seq) => seq !== turn.seq));
  }

  /**
   * Rewrites a turn's row (off the common path) and keeps the open turn in memory in step. A turn a
   * reply row closed still reads "dispatched" in its own row: it stays closed unless `reopen` (a replay).
   */
  private rewrite(seq: number, change: (turn: StoredTurn) => StoredTurn, reopen = false): void {
    const row = this.log.row(seq);
    if (row?.kind !== "u") throw new Error(`turn ${seq} has no user message`);
    const body = rowBody(row, UserRowBodySchema);
    const next = { ...body, t: change(body.t) };
    this.log.update(seq, next);
    const turn = turnOf(seq, row.at, next);
    const { open } = this.index();
    if (turn.status === "answered") open.delete(seq);
    else if (reopen || open.has(seq)) open.set(seq, turn);
  }

  private openTurns(): Turn[] {
    return [...this.index().open.values()].sort((a, b) => a.seq - b.seq);
  }

  /** How a turn no open-turn list holds was answered: the reply row that closed it says (a replay's, if any, last). */
  private closingOutcome(seq: number): "bot" | "fallback" | "held" {
    let outcome: "bot" | "fallback" | "held" = "held";
    for (const row of this.log.rowsFrom(seq + 1, 128)) {
      if (row.kind !== "b") continue;
      const body = rowBody(row, BotRowBodySchema);
      if (replyToOf(row.seq, body) === seq && body.z) outcome = body.z;
    }
    return outcome;
  }

  /** The open turns and the dialogue state, read from the end of the log once per object start. */
  private index(): OpenTurns {
    if (this.loaded) return this.loaded;
    const open = new Map<number, Turn>();
    let state: { seq: number; value: DialogueState } | undefined;
    const closedByReply = new Set<number>();
    let settled = false;
    for (let before = Number.MAX_SAFE_INTEGER; !(settled && state); ) {
      const rows = this.log.rowsBefore(before, SCAN_PAGE);
      for (const row of rows) {
        if (row.kind === "b") {
          const body = rowBody(row, BotRowBodySchema);
          if (body.z) closedByReply.add(replyToOf(row.seq, body));
          if (body.s && !state) state = { seq: row.seq, value: body.s };
        } else if (row.kind === "u" && !settled) {
          const body = rowBody(row, UserRowBodySchema);
          const turn = turnOf(row.seq, row.at, body);
          // The newest answered turn: every turn before it is answered too (but replays, below).
          if (turn.status === "answered" || closedByReply.has(row.seq)) settled = true;
          else open.set(row.seq, turn);
        }
      }
      const oldest = rows.at(-1);
      if (!oldest || rows.length < SCAN_PAGE) break;
      before = oldest.seq;
    }
    for (const seq of this.record.replaying()) {
      const row = this.log.row(seq);
      if (row?.kind === "u") open.set(seq, turnOf(seq, row.at, rowBody(row, UserRowBodySchema)));
    }
    const replyless = this.record.replylessState();
    const current = replyless && (!state || replyless.seq >= state.seq) ? replyless.value : state?.value;
    this.loaded = { open, state: current ?? initialDialogueState() };
    return this.loaded;
  }
}

function turnOf(seq: number, openedAt: number, body: UserRowBody): Turn {
  const stored = body.t;
  return {
    seq,
    status: stored.s === "q" ? "queued" : stored.s === "d" ? "dispatched" : "answered",
    attempt: stored.a,
    traceId: body.i,
    traceparent: body.p ?? null,
    openedAt,
    dispatchedAt: stored.d ?? (stored.s === "d" ? openedAt : null),
    outcome: stored.o ?? null,
    failure: stored.f ?? null,
    replayFrom: stored.r ?? null,
    client: body.k ?? null,
  };
}

/** The dialogue state with its default fields left out: what a row keeps (the schema puts them back on read). */
function compactState(state: DialogueState): StoredDialogueState {
  const initial = initialDialogueState();
  const compact: StoredDialogueState = {};
  for (const key of Object.keys(state) as (keyof DialogueState)[]) {
    if (JSON.stringify(state[key]) !== JSON.stringify(initial[key])) Object.assign(compact, { [key]: state[key] });
  }
  return compact;
}
