import { DurableObject } from "cloudflare:workers";
import {
  DialogueResultSchema,
  type ConversationSummary,
  type IntentQueueMessage,
  type Message,
} from "../../shared/schemas/index.ts";
import { log } from "../../shared/turn-log.ts";
import { ConversationRecord, type ConversationInfo } from "./conversation-record.ts";
import { PIPELINE_FALLBACK_RESPONSE, pipelineFallbackText } from "./fallback-reply.ts";
import { ReplyWaiters } from "./reply-waiters.ts";
import type { AppendUserTurnResult, ConversationResult } from "./rpc-results.ts";
import { broadcast, parseClientFrame, sendFrame } from "./sockets.ts";
import { CONVERSATION_SCHEMA } from "./storage-schema.ts";
import { Transcript } from "./transcript.ts";
import { TurnLedger, type Turn } from "./turn-ledger.ts";

const REPLAY_PAGE = 200;

/**
 * One conversation: its ordered, durable transcript and dialogue state, and the only place that
 * decides which user message is handled next. Every state change happens in synchronous SQL
 * before the next `await`, so concurrent calls cannot interleave half-way through a change.
 */
export class ConversationDurableObject extends DurableObject<GatewayEnv> {
  private readonly record: ConversationRecord;
  private readonly transcript: Transcript;
  private readonly turns: TurnLedger;
  private readonly waiters = new ReplyWaiters();

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    for (const statement of CONVERSATION_SCHEMA) ctx.storage.sql.exec(statement);
    this.record = new ConversationRecord(ctx.storage.sql);
    this.transcript = new Transcript(ctx.storage.sql);
    this.turns = new TurnLedger(ctx.storage.sql);
  }

  /** Creates the conversation; calling it again returns what was created first. */
  create(info: ConversationInfo): ConversationInfo {
    const existing = this.record.info();
    if (existing) return existing;
    this.record.setInfo(info);
    return info;
  }

  /** What a client or operator may know about the conversation. */
  summary(): ConversationResult<{ conversation: ConversationSummary }> {
    const info = this.record.info();
    if (!info) return notFound();
    return {
      ok: true,
      conversation: {
        ...info,
        handedOff: this.record.handedOff(),
        lastSeq: this.transcript.lastSeq(),
        state: this.record.dialogueState(),
      },
    };
  }

  /**
   * Stores a user message and sends it on its way once the turns before it are answered.
   * A repeated clientMessageId returns the original message instead of starting a second turn.
   */
  async appendUserTurn(input: {
    text: string;
    clientMessageId?: string | undefined;
    traceId: string;
  }): Promise<AppendUserTurnResult> {
    if (!this.record.info()) return notFound();
    if (input.clientMessageId !== undefined) {
      const original = this.transcript.findByClientMessageId(input.clientMessageId);
      if (original) {
        if (original.text === input.text) return { ok: true, message: original, duplicate: true };
        return {
          ok: false,
          error: {
            code: "client_message_id_conflict",
            message: `clientMessageId ${input.clientMessageId} was already used for a different text`,
          },
        };
      }
    }
    const message = this.transcript.appendUser(input, new Date());
    this.turns.open(message.seq, input.traceId);
    this.broadcastMessages([message]);
    await this.dispatchNextTurn();
    return { ok: true, message, duplicate: false };
  }

  /** The bot's replies to user message `seq`, waiting up to `timeoutMs`; null if none came in time. */
  async waitForReplies(seq: number, timeoutMs: number): Promise<Message[] | null> {
    const turn = this.turns.get(seq);
    if (!turn) return null;
    if (turn.status === "answered") return this.transcript.repliesTo(seq);
    return this.waiters.wait(seq, timeoutMs);
  }

  listMessages(after: number, limit: number): ConversationResult<{ messages: Message[] }> {
    if (!this.record.info()) return notFound();
    return { ok: true, messages: this.transcript.listAfter(after, limit) };
  }

  /**
   * Applies the dialogue Worker's decision for one turn. Queues deliver at least once and the
   * watchdog may have re-dispatched the turn, so only the first result for a turn counts.
   */
  async applyDialogueResult(raw: unknown): Promise<{ applied: boolean }> {
    const result = DialogueResultSchema.parse(raw);
    const info = this.record.info();
    if (!info || info.id !== result.conversationId) throw new Error(`result for unknown conversation ${result.conversationId}`);
    const turn = this.turns.get(result.seq);
    if (!turn || turn.status === "answered") return { applied: false };

    const now = new Date();
    const replies = result.replies.map((reply) =>
      this.transcript.appendBot(
        { text: reply.text, replyTo: turn.seq, response: reply.response, quickReplies: reply.quickReplies, nlu: result.nlu },
        now,
      ),
    );
    this.record.setDialogueState(result.state);
    if (result.handoff) this.record.setHandedOff(true);
    this.turns.markAnswered(turn.seq, "bot", now.getTime());
    log("turn_answered", { ...turn, conversationId: info.id }, { replies: replies.length, resultAttempt: result.attempt });
    this.finishTurn(turn.seq, replies);
    await this.dispatchNextTurn();
    return { applied: true };
  }

  /** A queue gave up on attempt `attempt` of turn `seq`: retry it now rather than at the watchdog. */
  async reportDeadLetter(seq: number, attempt: number): Promise<void> {
    const turn = this.turns.get(seq);
    if (turn?.status === "dispatched" && turn.attempt === attempt) await this.retryOrFallBack(turn);
  }

  /** A human takes the conversation (true) or gives it back to the bot (false). */
  async setHandoff(handedOff: boolean): Promise<ConversationResult<{ handedOff: boolean }>> {
    if (!this.record.info()) return notFound();
    this.record.setHandedOff(handedOff);
    if (!handedOff) await this.dispatchNextTurn();
    return { ok: true, handedOff };
  }

  /** A human operator speaks in the conversation; every connected client receives it. */
  appendAgentMessage(text: string): ConversationResult<{ message: Message }> {
    if (!this.record.info()) return notFound();
    const message = this.transcript.appendAgent(text, new Date());
    this.broadcastMessages([message]);
    return { ok: true, message };
  }

  /** WebSocket upgrade (the only HTTP the object serves): replay, then live messages. */
  override fetch(request: Request): Response {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: { code: "upgrade_required", message: "expected a WebSocket upgrade" } }, { status: 426 });
    }
    if (!this.record.info()) {
      return Response.json({ error: { code: "conversation_not_found", message: "conversation not found" } }, { status: 404 });
    }
    const after = Number(new URL(request.url).searchParams.get("after") ?? "0");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    for (let cursor = Number.isFinite(after) ? after : 0; ; ) {
      const page = this.transcript.listAfter(cursor, REPLAY_PAGE);
      for (const message of page) sendFrame(server, { type: "message", message });
      const last = page.at(-1);
      if (!last || page.length < REPLAY_PAGE) break;
      cursor = last.seq;
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const frame = parseClientFrame(data);
    if (!frame.success) {
      sendFrame(socket, { type: "error", error: { code: "invalid_frame", message: frame.message } });
      return;
    }
    // The same per-conversation budget as POST …/messages, so a socket cannot bypass it.
    const { success } = await this.env.MESSAGE_LIMITER.limit({ key: this.record.info()?.id ?? "" });
    if (!success) {
      sendFrame(socket, { type: "error", error: { code: "rate_limited", message: "too many messages; slow down" } });
      return;
    }
    const result = await this.appendUserTurn({ ...frame.data, traceId: crypto.randomUUID() });
    if (!result.ok) sendFrame(socket, { type: "error", error: result.error });
  }

  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    try {
      socket.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic close reply.
    }
  }

  /** The watchdog: a dispatched turn whose reply is overdue is sent again, or answered with the fallback. */
  override async alarm(): Promise<void> {
    const turn = this.turns.inFlight();
    if (!turn?.dispatchedAt) return;
    const due = turn.dispatchedAt + this.turnTimeoutMs();
    if (Date.now() < due) {
      await this.ctx.storage.setAlarm(due);
      return;
    }
    log("turn_timeout", { ...turn, conversationId: this.record.info()?.id ?? "" });
    await this.retryOrFallBack(turn);
  }

  private async retryOrFallBack(turn: Turn): Promise<void> {
    if (turn.attempt < this.maxTurnAttempts()) {
      await this.dispatch(turn, turn.attempt + 1);
      return;
    }
    const userMessage = this.transcript.get(turn.seq);
    const now = new Date();
    const fallback = this.transcript.appendBot(
      {
        text: pipelineFallbackText(this.record.info()?.locale ?? null, userMessage?.text ?? ""),
        replyTo: turn.seq,
        response: PIPELINE_FALLBACK_RESPONSE,
      },
      now,
    );
    this.turns.markAnswered(turn.seq, "fallback", now.getTime());
    log("turn_fallback", { ...turn, conversationId: this.record.info()?.id ?? "" });
    this.finishTurn(turn.seq, [fallback]);
    await this.dispatchNextTurn();
  }

  /** Sends the oldest queued turn on its way unless one is already in flight. */
  private async dispatchNextTurn(): Promise<void> {
    if (this.turns.inFlight()) return;
    for (let next = this.turns.nextQueued(); next; next = this.turns.nextQueued()) {
      if (!this.record.handedOff()) {
        await this.dispatch(next, 1);
        return;
      }
      // A human has the conversation: the message stays in the transcript for them, unanswered by the bot.
      this.turns.markAnswered(next.seq, "held", Date.now());
      this.waiters.resolve(next.seq, []);
    }
  }

  private async dispatch(turn: Turn, attempt: number): Promise<void> {
    const info = this.record.info();
    const userMessage = this.transcript.get(turn.seq);
    if (!info || !userMessage) throw new Error(`turn ${turn.seq} has no conversation or message`);
    const now = Date.now();
    this.turns.markDispatched(turn.seq, attempt, now);
    await this.ctx.storage.setAlarm(now + this.turnTimeoutMs());
    const body: IntentQueueMessage = {
      kind: "turn",
      v: 1,
      conversationId: info.id,
      seq: turn.seq,
      attempt,
      traceId: turn.traceId,
      botId: info.bot,
      locale: info.locale,
      timezone: info.timezone,
      text: userMessage.text,
      sentAt: userMessage.createdAt,
      state: this.record.dialogueState(),
    };
    try {
      await this.env.INTENT_QUEUE.send(body);
    } catch (error) {
      // The alarm set above re-dispatches the turn; the user still gets an answer.
      console.error(JSON.stringify({ event: "dispatch_failed", seq: turn.seq, attempt, error: String(error) }));
    }
  }

  private finishTurn(seq: number, replies: Message[]): void {
    this.broadcastMessages(replies);
    this.waiters.resolve(seq, replies);
  }

  private broadcastMessages(messages: Message[]): void {
    const sockets = this.ctx.getWebSockets();
    for (const message of messages) broadcast(sockets, { type: "message", message });
  }

  private turnTimeoutMs(): number {
    return positiveInt(this.env.TURN_TIMEOUT_MS, 15_000);
  }

  private maxTurnAttempts(): number {
    return positiveInt(this.env.MAX_TURN_ATTEMPTS, 3);
  }
}

function notFound(): { ok: false; error: { code: "conversation_not_found"; message: string } } {
  return { ok: false, error: { code: "conversation_not_found", message: "conversation not found" } };
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
