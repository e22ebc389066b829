import { failure, type Outcome } from "../../shared/errors.ts";
import type {
  DeadLetterFacts,
  DeadLetterTurnState,
  DeadLetterTurnView,
  DialogueResult,
  IntentQueueMessage,
  Message,
  PipelineStage,
} from "../../shared/schemas/index.ts";
import type { ConversationRecord } from "./conversation-record.ts";
import { pipelineFallbackReply } from "./pipeline-fallback.ts";
import type { Transcript } from "./transcript.ts";
import type { NewUserTurn, OpeningStatus, Turn, TurnLedger } from "./turn-ledger.ts";

/**
 * What the turn rules need from the object that hosts them (ConversationDurableObject), and
 * nothing more: the turns, the intent queue, a watchdog timer, the clients, a clock and two settings.
 */
export interface TurnSchedulerHost {
  /** Where each turn is, with its user message (durable rows; turn-ledger.ts). */
  readonly turns: Pick<
    TurnLedger,
    "open" | "get" | "inFlight" | "nextQueued" | "unanswered" | "markDispatched" | "closeWithReplies" | "closeWithoutReplies" | "markReplaying" | "state"
  >;
  /** The user messages turns are for. */
  readonly transcript: Pick<Transcript, "get">;
  /** Who the conversation is with, and whether a human has it. */
  readonly conversation: Pick<ConversationRecord, "info" | "handedOff" | "setHandedOff">;
  /** Sends a turn to the intent Worker (its conversation's shard of the intent queue). May fail: the watchdog covers it. */
  sendToIntentQueue(message: IntentQueueMessage): Promise<void>;
  /** Arms the watchdog: `onAlarm()` runs at `at` (ms since the epoch); null disarms it (no turn in flight). */
  watch(at: number | null): void;
  /** Pushes a turn's replies to every client and answers the requests waiting for them ([] for a held turn). */
  deliverReplies(seq: number, replies: Message[]): void;
  now(): number;
  readonly config: { turnTimeoutMs: number; maxTurnAttempts: number };
  /** Every decision the rules take, as a value: the one place to log or count them. */
  onTurnEvent(event: TurnEvent): void;
  /**
   * The text a turn's user wrote, before it was masked for storage (redaction-at-rest.ts), while the
   * object still holds it: the pipeline needs the values the transcript keeps masked. Absent: the stored text.
   */
  unmaskedText?(seq: number): string | undefined;
}

/** A turn as events name it: `attempt` is the dispatch the event concerns. */
export interface TurnRef {
  seq: number;
  attempt: number;
  traceId: string;
}

export type DispatchCause = "message" | "watchdog" | "dead_letter" | "replay";

/** How a turn was closed, with what the rules know of it then. */
export type TurnClosing =
  /** The dialogue Worker's result: NLU, the decision's summary, the stage timestamps. */
  | { outcome: "bot"; result: DialogueResult }
  /** The pipeline fallback, after the last attempt ended by the watchdog or a dead letter. */
  | { outcome: "fallback"; cause: Exclude<DispatchCause, "message"> }
  | { outcome: "held" };

/** A closed turn: the object's clock when its message was stored (null for older turns) and when it closed. */
export type AnsweredTurn = { type: "answered"; turn: TurnRef; replies: number; openedAt: number | null; closedAt: number } & TurnClosing;

export type TurnEvent =
  | { type: "dispatched"; turn: TurnRef; cause: DispatchCause }
  | { type: "dispatch_failed"; turn: TurnRef; error: string }
  | { type: "timed_out"; turn: TurnRef }
  /** `current`: it was the attempt in flight, so the turn is retried or answered with the fallback. */
  | { type: "dead_letter"; turn: TurnRef; current: boolean; stage: PipelineStage }
  /** An operator replayed a turn the user got the fallback for; it is queued again. */
  | { type: "replay_requested"; turn: TurnRef }
  | AnsweredTurn
  | { type: "result_dropped"; turn: TurnRef; reason: "already_answered" | "held" | "unknown_turn" };

/**
 * The turn rules of one conversation. A user message becomes a turn; one turn at a time is in
 * flight through the pipeline (intent queue → intent Worker → dialogue queue → dialogue Worker),
 * which keeps replies in the order the user wrote. The turn in flight is answered by the first
 * dialogue result for it; a dead letter or the watchdog sends it again, up to MAX_TURN_ATTEMPTS
 * dispatches, and then it is answered with the bot's pipeline fallback. Then the next turn goes.
 *
 * Handoff: while a human has the conversation no turn is open. Taking over holds every turn not
 * yet answered, and a message written during the handoff is held at once: a held turn is closed
 * without a bot reply, for good, so a late result, a dead letter or the watchdog finds nothing to
 * do. Release changes nothing for held turns; the bot answers the messages written after it.
 *
 * Replay: an operator may replay a dead-lettered turn the user got the fallback for, while the bot
 * has the conversation. The turn is queued again (behind the turn in flight, ahead of newer ones)
 * with a fresh budget of MAX_TURN_ATTEMPTS dispatches; its result is stored as a follow-up reply to
 * the same message, marked `replayed`. A replay that fails too says nothing new to the user (they
 * have the fallback already) and leaves the turn replayable; one that got its answer cannot be
 * replayed again, so the user is answered once.
 *
 * Every state change happens in synchronous SQL before the next `await`, so the object's other
 * calls cannot interleave half-way through one. The watchdog is a timer the host arms for the turn
 * in flight (`watch`), disarmed when nothing is in flight: an answered turn costs no alarm.
 */
export class TurnScheduler {
  constructor(private readonly host: TurnSchedulerHost) {}

  /**
   * A new user message, stored with its turn: dispatched at once unless a turn is in flight or
   * waiting; held while a human has the conversation. Returns the stored message at once and, as
   * `sent`, the dispatch on its way (the caller shows the message to clients before it waits).
   */
  open(input: NewUserTurn, onStored?: (seq: number) => void): { message: Message; sent: Promise<void> } {
    const now = this.host.now();
    const status: OpeningStatus = this.host.conversation.handedOff()
      ? "held"
      : this.host.turns.inFlight() || this.host.turns.nextQueued()
        ? "queued"
        : "dispatched";
    const { message, turn } = this.host.turns.open(input, status, now);
    onStored?.(turn.seq);
    if (status === "held") {
      this.answered(turn, [], { outcome: "held" });
      return { message, sent: Promise.resolve() };
    }
    return { message, sent: status === "dispatched" ? this.send(turn, "message") : Promise.resolve() };
  }

  /** The dialogue Worker's decision for a turn. Queues deliver at least once and a turn may be sent more than once: the first result counts. */
  async applyResult(result: DialogueResult): Promise<{ applied: boolean }> {
    const turn = this.host.turns.get(result.seq);
    if (turn?.status !== "dispatched") {
      const reason = !turn ? "unknown_turn" : turn.outcome === "held" ? "held" : "already_answered";
      this.emit({ type: "result_dropped", turn: { seq: result.seq, attempt: result.attempt, traceId: result.traceId }, reason });
      return { applied: false };
    }
    const now = this.host.now();
    const replies =
      result.replies.length > 0
        ? this.host.turns.closeWithReplies(turn, result.replies, { outcome: "bot", state: result.state, nlu: result.nlu }, now)
        : (this.host.turns.closeWithoutReplies(turn, "bot", result.state), []);
    this.answered(turn, replies, { outcome: "bot", result });
    if (result.handoff) this.handOff();
    await this.dispatchNext();
    return { applied: true };
  }

  /**
   * A queue gave up on attempt `attempt` of turn `seq` at `stage`: retry it now rather than at the
   * watchdog. Returns what the dead-letter registry records of it (undefined for no such turn).
   */
  async reportDeadLetter(seq: number, attempt: number, stage: PipelineStage): Promise<DeadLetterFacts | undefined> {
    const turn = this.host.turns.get(seq);
    const current = turn?.status === "dispatched" && turn.attempt === attempt;
    this.emit({ type: "dead_letter", turn: { seq, attempt, traceId: turn?.traceId ?? "" }, current, stage });
    if (!turn) return undefined;
    if (current) await this.retryOrFallBack(turn, "dead_letter");
    return { seq, stage, attempts: attempt };
  }

  /** An operator's replay of a dead-lettered turn (see the class comment); refused with the reason when it may not run now. */
  async replay(seq: number): Promise<Outcome<object, "not_replayable">> {
    const turn = this.host.turns.get(seq);
    const refusal = this.replayRefusal(turn);
    if (refusal !== undefined || !turn) return failure("not_replayable", refusal);
    this.host.turns.markReplaying(seq);
    this.emit({ type: "replay_requested", turn: refOf(turn) });
    await this.dispatchNext();
    return { ok: true };
  }

  /** Where a turn is, as the dead-letter list shows it: its state, whether a replay would be accepted now, its last failure. */
  deadLetterState(seq: number): DeadLetterTurnView {
    const turn = this.host.turns.get(seq);
    if (!turn) return { turn: "unknown", replayable: false, deliveries: null, lastError: null };
    const replaying = turn.replayFrom !== null;
    const state: DeadLetterTurnState =
      turn.status !== "answered"
        ? replaying
          ? "replaying"
          : "retrying"
        : turn.outcome === "held"
          ? "held"
          : turn.outcome === "fallback"
            ? "fallback"
            : replaying
              ? "replayed"
              : "answered";
    return {
      turn: state,
      replayable: this.replayRefusal(turn) === undefined,
      deliveries: turn.failure?.deliveries ?? null,
      lastError: turn.failure?.error ?? null,
    };
  }

  /** The watchdog: the turn in flight is overdue, so it is sent again or answered with the fallback. */
  async onAlarm(): Promise<void> {
    const turn = this.host.turns.inFlight();
    if (!turn) return;
    const due = this.dueAt(turn);
    if (this.host.now() < due) {
      this.host.watch(due);
      return;
    }
    this.emit({ type: "timed_out", turn: refOf(turn) });
    await this.retryOrFallBack(turn, "watchdog");
  }

  /** When the turn in flight is overdue. */
  dueAt(turn: Turn): number {
    return (turn.dispatchedAt ?? 0) + this.host.config.turnTimeoutMs;
  }

  /** A human takes the conversation: every turn not yet answered is held, and its waiting requests get no replies. */
  handOff(): void {
    this.host.conversation.setHandedOff(true);
    for (const turn of this.host.turns.unanswered()) {
      this.host.turns.closeWithoutReplies(turn, "held");
      this.answered(turn, [], { outcome: "held" });
    }
    this.host.watch(null);
  }

  /** The bot has the conversation again. Nothing is waiting: turns written during the handoff were held. */
  release(): void {
    this.host.conversation.setHandedOff(false);
  }

  /** Why `turn` may not be replayed now, or undefined when it may: only a fallback turn, only while the bot has the conversation. */
  private replayRefusal(turn: Turn | undefined): string | undefined {
    if (!turn) return "the conversation has no such turn";
    if (turn.status !== "answered") return turn.replayFrom === null ? "the turn is still being retried" : "the turn is being replayed";
    if (turn.outcome === "held") return "the turn was held for the human operator who took the conversation";
    if (turn.outcome === "bot") return turn.replayFrom === null ? "the bot answered the turn" : "the turn was replayed and the bot has answered it";
    if (this.host.conversation.handedOff()) return "a human operator has the conversation: release it, then replay";
    return undefined;
  }

  private async retryOrFallBack(turn: Turn, cause: Exclude<DispatchCause, "message" | "replay">): Promise<void> {
    // A replay's dispatches count from where it started: it gets the whole budget again.
    if (turn.attempt - (turn.replayFrom ?? 0) < this.host.config.maxTurnAttempts) {
      await this.dispatch(turn, turn.attempt + 1, cause);
      return;
    }
    if (turn.replayFrom !== null) {
      // The replay failed too. The user has the fallback for this message already: nothing new is said.
      this.host.turns.closeWithoutReplies(turn, "fallback");
      this.answered(turn, [], { outcome: "fallback", cause });
      await this.dispatchNext();
      return;
    }
    const info = this.host.conversation.info();
    const userMessage = this.host.transcript.get(turn.seq);
    if (!info || !userMessage) throw new Error(`turn ${turn.seq} has no conversation or message`);
    const fallback = pipelineFallbackReply(info.bot, info.locale, userMessage.text, turn.seq);
    const replies = this.host.turns.closeWithReplies(turn, [fallback], { outcome: "fallback" }, this.host.now());
    this.answered(turn, replies, { outcome: "fallback", cause });
    await this.dispatchNext();
  }

  /** Sends the oldest queued turn on its way unless one is already in flight; disarms the watchdog when nothing is. */
  private async dispatchNext(): Promise<void> {
    if (this.host.turns.inFlight()) return;
    const next = this.host.turns.nextQueued();
    if (!next) {
      this.host.watch(null);
      return;
    }
    await this.dispatch(next, next.attempt + 1, next.replayFrom === null ? "message" : "replay");
  }

  /** Dispatch `attempt` of a turn already stored (a queued turn, a retry, a replay): its row says so, then it is sent. */
  private async dispatch(turn: Turn, attempt: number, cause: DispatchCause): Promise<void> {
    const now = this.host.now();
    this.host.turns.markDispatched(turn.seq, attempt, now);
    await this.send({ ...turn, status: "dispatched", attempt, dispatchedAt: now }, cause);
  }

  /** Sends a dispatched turn to the intent queue, with the watchdog armed for it. */
  private async send(turn: Turn, cause: DispatchCause): Promise<void> {
    const info = this.host.conversation.info();
    const userMessage = this.host.transcript.get(turn.seq);
    if (!info || !userMessage) throw new Error(`turn ${turn.seq} has no conversation or message`);
    const ref = { seq: turn.seq, attempt: turn.attempt, traceId: turn.traceId };
    this.emit({ type: "dispatched", turn: ref, cause });
    this.host.watch(this.dueAt(turn));
    try {
      await this.host.sendToIntentQueue({
        kind: "turn",
        v: 1,
        conversationId: info.id,
        seq: turn.seq,
        attempt: turn.attempt,
        traceId: turn.traceId,
        ...(turn.traceparent ? { traceparent: turn.traceparent } : {}),
        ...(turn.client ? { client: turn.client } : {}),
        botId: info.bot,
        // Every turn runs on the version the conversation started on (docs/bot-versions.md).
        botVersion: info.botVersion,
        locale: info.locale,
        timezone: info.timezone,
        text: this.host.unmaskedText?.(turn.seq) ?? userMessage.text,
        sentAt: userMessage.createdAt,
        ...(info.user === undefined ? {} : { user: info.user }),
        state: this.host.turns.state(),
        timings: { dispatchedAt: turn.dispatchedAt ?? this.host.now() },
      });
    } catch (error) {
      // The watchdog armed above re-dispatches the turn; the user still gets an answer.
      this.emit({ type: "dispatch_failed", turn: ref, error: String(error) });
    }
  }

  /** Tells everyone a turn was closed (its row says so already): the one place a closed turn is announced. */
  private answered(turn: Turn, replies: Message[], closing: TurnClosing): void {
    this.emit({ type: "answered", turn: refOf(turn), replies: replies.length, openedAt: turn.openedAt, closedAt: this.host.now(), ...closing });
    this.host.deliverReplies(turn.seq, replies);
  }

  private emit(event: TurnEvent): void {
    this.host.onTurnEvent(event);
  }
}

const refOf = (turn: Turn): TurnRef => ({ seq: turn.seq, attempt: turn.attempt, traceId: turn.traceId });
