import { DurableObject } from "cloudflare:workers";
import { errorInfo, errorResponse, failure, type Outcome } from "../../shared/errors.ts";
import { gatewayConfig } from "../../shared/gateway-config.ts";
import { turnAnalyticsDataset, turnDataPoint } from "../../shared/metrics/analytics-engine.ts";
import { deploymentLabelBounds, flushMetricsLater, metricsFor } from "../../shared/metrics/isolate.ts";
import { UNKNOWN_LOCALE } from "../../shared/metrics/label-domains.ts";
import type { Metrics } from "../../shared/metrics/recorder.ts";
import { sendToShard } from "../../shared/queue-shards.ts";
import { sendReportsWithRetries } from "../../shared/conversation-reports.ts";
import { releaseForNewConversation } from "../../shared/bot-versions/release-cache.ts";
import { sendChannelOutbound } from "../../shared/channel-outbound-queue.ts";
import type { ClaimResult } from "../../shared/channel-delivery.ts";
import {
  ChannelTurnSchema,
  DeliveryClaimSchema,
  DialogueResultSchema,
  SocketOpenSchema,
  type ConversationCredential,
  TurnFailureReportSchema,
  type ConversationReports,
  type ConversationSummary,
  type DialogueState,
  type DeadLetterFacts,
  type DeadLetterTurnView,
  type HandedOffBy,
  type Message,
  type PipelineStage,
  ReplyStreamUpdateSchema,
  type ReplyStreamAck,
} from "../../shared/schemas/index.ts";
import { continueTrace, formatTraceparent } from "../../shared/trace-context.ts";
import { admitUserMessage } from "../../shared/user-message-admission.ts";
import { ConversationAccess } from "./access.ts";
import { receiveChannelTurn, type ChannelTurnResult } from "./channel-intake.ts";
import { ChannelOutbox } from "./channel-outbox.ts";
import { AnalyticsReporter } from "./analytics-reporter.ts";
import { admitToTranscript, type ConversationLimits } from "./conversation-limits.ts";
import { ConversationRecord, type ConversationInfo, type NewConversationInfo } from "./conversation-record.ts";
import { directoryEntry } from "./directory-entry.ts";
import { DirectoryRefresh } from "./directory-refresh.ts";
import { OutgoingReports } from "./outgoing-reports.ts";
import { ReplyWaiters } from "./reply-waiters.ts";
import { replyEventStream } from "./reply-events.ts";
import { ReplyStreams } from "./reply-streams.ts";
import { broadcast, countClosedSocket, countOpenSocket, decodeFrame, sendError, sendFrame, setSocketAttachment, socketAttachment } from "./sockets.ts";
import { retentionVerdict } from "./retention.ts";
import { ConversationLog } from "./conversation-log.ts";
import { maskForStorage, maskResultForStorage, UnmaskedTexts } from "./redaction-at-rest.ts";
import { conversationSummary, forgetInUserProfile, type UserConversationExport } from "./user-data.ts";
import { migrateConversationStorage } from "./storage-migrations.ts";
import { Transcript } from "./transcript.ts";
import { TurnLedger } from "./turn-ledger.ts";
import { TurnObserver } from "./turn-observer.ts";
import { TurnScheduler } from "./turn-scheduler.ts";

/**
 * The most messages a socket replays when it opens; a client further behind reads the rest with
 * GET …/messages (the `ready` frame tells it the last seq), so an open costs a bounded amount.
 */
export const REPLAY_PAGE = 100;

/** The subprotocol a conversation socket speaks; the gateway only upgrades clients that offer it. */
const SOCKET_PROTOCOL = "stratus.v1";

export type AppendUserTurnResult = Outcome<{ message: Message; duplicate: boolean }>;
/** A stored message, and its replies to come: the JSON of `Message[] | null` (null: none in time), or events. */
export type AppendAndWaitResult = Outcome<{ message: Message; duplicate: boolean; replies: ReadableStream<Uint8Array> }>;
/** How a wait's replies come back: their JSON, or server-sent events (docs/streaming.md). */
export type WaitFormat = "json" | "events";

/** A user message to store and answer. */
export interface NewUserTurn {
  text: string;
  clientMessageId?: string | undefined;
  traceId: string;
  /** The W3C trace context the turn continues (shared/trace-context.ts). */
  traceparent?: string | undefined;
  /** The writer's hashed address (ClientKeySchema), for per-address budgets downstream. */
  client?: string | undefined;
}

/**
 * One conversation: its durable transcript and dialogue state (SQLite), its WebSockets, and the
 * turn rules (turn-scheduler.ts) that decide which user message the pipeline handles next. This
 * class is the host that wires them to the platform (RPC, alarm, queue, sockets); the rules live
 * in the units it holds.
 */
export class ConversationDurableObject extends DurableObject<GatewayEnv> {
  private readonly record: ConversationRecord;
  private readonly transcript: Transcript;
  private readonly turns: TurnLedger;
  private readonly scheduler: TurnScheduler;
  private readonly waiters = new ReplyWaiters();
  /** Replies the LLM is writing, in memory only (reply-streams.ts). */
  private readonly streams: ReplyStreams;
  private readonly analytics: AnalyticsReporter;
  private readonly directory: DirectoryRefresh;
  private readonly outgoing: OutgoingReports;
  /** The last directory revision this object gave out (revisions are times: directory-entry.ts). */
  private lastRevision = 0;
  private readonly access: ConversationAccess;
  private readonly limits: ConversationLimits;
  private readonly log: ConversationLog;
  /** A messaging channel's replies on their way out (nothing for a web conversation). */
  private readonly outbox: ChannelOutbox;
  /** The watchdog's timer for the turn in flight (turn-scheduler.ts `watch`), and when it fires. */
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private watchdogAt: number | null = null;
  /** What users wrote before it was masked for storage, while their turns are open (redaction-at-rest.ts). */
  private readonly unmasked = new UnmaskedTexts();

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    const config = gatewayConfig(env);
    this.directory = new DirectoryRefresh({ publish: () => this.publishToDirectory(), now: () => Date.now() }, config.STRATUS_DIRECTORY_REFRESH_MS);
    this.outgoing = new OutgoingReports((message) => this.sendReports(message));
    // Synchronous, before the object takes its first call: storage written by older code is converted.
    migrateConversationStorage(ctx.storage);
    this.log = new ConversationLog(ctx.storage.sql);
    this.record = new ConversationRecord(this.log);
    this.transcript = new Transcript(this.log, () => this.record.info()?.id ?? "");
    this.turns = new TurnLedger(this.log, this.record, this.transcript);
    this.access = new ConversationAccess(this.record, () => Date.now());
    this.outbox = new ChannelOutbox({
      record: this.record,
      log: this.log,
      transcript: this.transcript,
      send: (message) => sendChannelOutbound(env, message.conversationId, message),
      background: (work) => ctx.waitUntil(work),
      wakeAt: async (at) => {
        const armed = await ctx.storage.getAlarm();
        if (armed === null || armed > at) await ctx.storage.setAlarm(at);
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      report: (event) => console.log(JSON.stringify(event)),
    });
    this.limits = { maxMessages: config.STRATUS_MAX_CONVERSATION_MESSAGES, maxBytes: config.STRATUS_MAX_CONVERSATION_BYTES };
    this.analytics = new AnalyticsReporter({
      conversation: this.record,
      state: () => this.turns.state(),
      firstAnswer: () => this.turns.firstAnswer(),
      transcript: this.transcript,
      send: (report) => this.outgoing.report(report),
      now: () => Date.now(),
    });
    const analyticsEngine = turnAnalyticsDataset(env);
    const observer = new TurnObserver({
      conversation: () => this.record.info(),
      metrics: () => this.metrics(),
      onTurnClosed: (facts) => analyticsEngine?.writeDataPoint(turnDataPoint(facts, deploymentLabelBounds)),
    });
    this.streams = new ReplyStreams({
      conversationId: () => this.record.info()?.id ?? "",
      inFlight: (seq, attempt) => {
        const turn = this.turns.inFlight();
        return turn?.seq === seq && turn.attempt === attempt;
      },
      broadcast: (frame) => {
        const sockets = this.ctx.getWebSockets();
        broadcast(sockets, frame);
        return sockets.length;
      },
    });
    this.scheduler = new TurnScheduler({
      turns: this.turns,
      transcript: this.transcript,
      conversation: this.record,
      sendToIntentQueue: (message) => sendToShard(env, "intent", message.conversationId, message),
      watch: (at) => this.watch(at),
      deliverReplies: (seq, replies) => {
        this.streams.end(seq, replies);
        this.broadcastMessages(replies);
        this.waiters.resolve(seq, replies);
        this.outbox.afterStored(replies);
        // A held turn (a person has the conversation) has no replies and changes nothing listed.
        if (replies.length > 0) this.directory.afterBotReply();
      },
      now: () => Date.now(),
      config: { turnTimeoutMs: config.TURN_TIMEOUT_MS, maxTurnAttempts: config.MAX_TURN_ATTEMPTS },
      // Every decision of the turn rules: logged and counted (turn-observer.ts), and reported to the bot's analytics.
      onTurnEvent: (event) => {
        observer.onTurnEvent(event);
        this.analytics.onTurnEvent(event);
        if (event.type === "answered") this.unmasked.release(event.turn.seq);
      },
      unmaskedText: (seq) => this.unmasked.get(seq),
    });
    // Clients check that their socket is alive with `ping`; the runtime answers without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // An object that starts with a turn in flight (it was evicted or restarted mid-turn) keeps watching it.
    const inFlight = this.log.exists() ? this.turns.inFlight() : undefined;
    if (inFlight) this.watch(this.scheduler.dueAt(inFlight));
  }

  /**
   * Creates the conversation (on `botVersion`, default 1, for good); calling it again returns what was
   * created first. A signed-in user's conversation starts from the state the gateway read of their
   * profile (`initialState`).
   */
  create(info: NewConversationInfo, initialState?: DialogueState): ConversationInfo {
    const existing = this.record.info();
    if (existing) return existing;
    this.record.setInfo(info, { initialState });
    this.publishToDirectory();
    return this.record.info() ?? { ...info, botVersion: info.botVersion ?? 1 };
  }

  /** What a client or operator may know about the conversation. */
  summary(credential: ConversationCredential): Outcome<{ conversation: ConversationSummary }> {
    const info = this.record.info();
    if (!info) return failure("conversation_not_found");
    const allowed = this.access.check(credential);
    if (!allowed.ok) return allowed;
    return { ok: true, conversation: conversationSummary(info, this.record.handedOff(), this.transcript.lastSeq(), this.turns.state()) };
  }

  /**
   * Stores a user message the admission let through (shared/user-message-admission.ts) and opens
   * its turn, for a request authorized by `credential`. A repeated clientMessageId returns the
   * original message instead of a second turn.
   */
  async appendUserTurn(input: NewUserTurn & { credential: ConversationCredential }): Promise<AppendUserTurnResult> {
    if (!this.record.info()) return failure("conversation_not_found");
    const allowed = this.access.check(input.credential);
    if (!allowed.ok) return allowed;
    return this.openUserTurn(input);
  }

  /**
   * Stores a user message and waits for its replies, in one request to the object (an HTTP `?wait`
   * turn costs two: this and the dialogue's result; streaming adds the dialogue Worker's batches).
   * The message comes back at once; its replies follow in the returned stream, so a caller whose
   * wait breaks off (the object restarted) still knows the message was stored. `format` "json":
   * the stream is the JSON of `Message[] | null`; "events": the server-sent events of replyEvents
   * (the message, a reply the LLM writes meanwhile, then the replies or `timeout`).
   */
  async appendUserTurnAndWait(
    input: NewUserTurn & { credential: ConversationCredential },
    timeoutMs: number,
    format: WaitFormat = "json",
  ): Promise<AppendAndWaitResult> {
    const appended = await this.appendUserTurn(input);
    if (!appended.ok) return appended;
    return { ...appended, replies: this.waitAnswer(appended.message, timeoutMs, format) };
  }

  /**
   * Waits again for the replies to a user message already stored (RPC from
   * `GET …/messages/{seq}/replies`): a client whose `?wait` — JSON or event stream — broke off picks
   * it up here. As events, a reply the LLM is still writing comes first as its text so far
   * (`stream_start` with `next`), so the client adds only what it lacks.
   */
  resumeReplies(seq: number, timeoutMs: number, format: WaitFormat, credential: ConversationCredential): Outcome<{ message: Message; replies: ReadableStream<Uint8Array> }> {
    const allowed = this.checkAccess(credential);
    if (!allowed.ok) return allowed;
    const message = this.transcript.get(seq);
    if (message?.role !== "user") return failure("message_not_found");
    return { ok: true, message, replies: this.waitAnswer(message, timeoutMs, format) };
  }

  /** The answer of a wait for the replies to `message`: their JSON (`Message[] | null`), or the events of docs/streaming.md. */
  private waitAnswer(message: Message, timeoutMs: number, format: WaitFormat): ReadableStream<Uint8Array> {
    if (format === "events") return this.replyEvents(message, timeoutMs);
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    const replies = this.waitForReplies(message.seq, timeoutMs)
      .then(async (messages) => {
        await writer.write(new TextEncoder().encode(JSON.stringify(messages)));
        await writer.close();
      })
      .catch((error: unknown) => writer.abort(error));
    this.ctx.waitUntil(replies);
    return readable;
  }

  /**
   * The bot's replies to user message `seq`, waiting up to `timeoutMs`; null if none came in time.
   * A turn held for a human operator answers at once with no replies.
   */
  async waitForReplies(seq: number, timeoutMs: number): Promise<Message[] | null> {
    const turn = this.turns.get(seq);
    if (!turn) return null;
    if (turn.status === "answered") return this.transcript.repliesTo(seq);
    return this.waiters.wait(seq, timeoutMs);
  }

  /**
   * `POST …/messages?wait` asked for as server-sent events: the user message, the frames of a reply
   * the LLM writes meanwhile, then the replies (or `timeout`), as the bytes of an event stream.
   */
  replyEvents(message: Message, timeoutMs: number): ReadableStream<Uint8Array> {
    return replyEventStream({ streams: this.streams, waitForReplies: (seq, ms) => this.waitForReplies(seq, ms) }, message, timeoutMs);
  }

  /**
   * A batch of a reply the LLM is writing, from the dialogue Worker (RPC): fanned out to the clients,
   * never stored. Refused (the writer stops; the reply still comes whole) unless it belongs here.
   */
  streamReply(raw: unknown): ReplyStreamAck {
    const update = ReplyStreamUpdateSchema.safeParse(raw);
    if (!update.success || this.record.info()?.id !== update.data.conversationId) return { accepted: false, listeners: 0 };
    return this.streams.update(update.data);
  }

  listMessages(after: number, limit: number, credential: ConversationCredential): Outcome<{ messages: Message[] }> {
    if (!this.record.info()) return failure("conversation_not_found");
    const allowed = this.access.check(credential);
    if (!allowed.ok) return allowed;
    return { ok: true, messages: this.transcript.listAfter(after, limit) };
  }

  /** Whether this credential may still act on the conversation (a token renewal, a socket ticket). */
  checkAccess(credential: ConversationCredential): Outcome<object> {
    if (!this.record.info()) return failure("conversation_not_found");
    return this.access.check(credential);
  }

  /**
   * An operator moves the conversation to another version of its bot (RPC from
   * `POST /v1/conversations/{id}/migrate`; the gateway checked the version exists). Turns dispatched
   * from now on run on it; one already on its way finishes on the version it was sent with. The
   * dialogue state goes along: a form the new version does not have is cancelled by the dialogue engine.
   */
  migrateVersion(version: number): Outcome<{ bot: string; botVersion: number; previousVersion: number }> {
    const info = this.record.info();
    if (!info) return failure("conversation_not_found");
    const previousVersion = info.botVersion;
    if (version !== previousVersion) this.record.setBotVersion(version);
    console.log(JSON.stringify({ event: "conversation_migrated", conversationId: info.id, bot: info.bot, from: previousVersion, to: version }));
    return { ok: true, bot: info.bot, botVersion: version, previousVersion };
  }

  /**
   * An operator revokes every token of the conversation issued until now: its user's requests get
   * 401 from now on and its user sockets are closed. (The operator's own key is not affected.)
   */
  revokeTokens(): Outcome<{ revokedAt: string }> {
    const info = this.record.info();
    if (!info) return failure("conversation_not_found");
    const revokedAt = this.access.revoke();
    for (const socket of this.ctx.getWebSockets()) {
      if (socketAttachment(socket).role === "user") socket.close(1008, "token revoked");
    }
    console.log(JSON.stringify({ event: "tokens_revoked", conversationId: info.id }));
    return { ok: true, revokedAt: new Date(revokedAt).toISOString() };
  }

  /**
   * The dialogue Worker's decision for one turn (RPC); only the first result for a turn counts. What
   * the turn reports (its analytics, a directory entry) comes back for the Worker to send with the
   * rest of its batch.
   */
  async applyDialogueResult(raw: unknown): Promise<{ applied: boolean; reports?: ConversationReports }> {
    const info = this.record.info();
    const parsed = DialogueResultSchema.parse(raw);
    if (!info || info.id !== parsed.conversationId) throw new Error(`result for unknown conversation ${parsed.conversationId}`);
    const result = maskResultForStorage(info.bot, parsed);
    if (result.maskedText !== undefined && this.turns.get(result.seq)?.status === "dispatched") this.turns.replaceText(result.seq, result.maskedText);
    const { value: applied, reports } = await this.outgoing.capture(async () => {
      const handedOffBefore = this.record.handedOff();
      const outcome = await this.scheduler.applyResult(result);
      if (!handedOffBefore && this.record.handedOff()) this.handoffChanged("bot");
      return outcome;
    });
    return reports ? { ...applied, reports } : applied;
  }

  /**
   * A queue gave up on attempt `attempt` of turn `seq` at `stage` (the gateway's dead-letter
   * consumer, which records what this returns in the dead-letter registry); null for no such turn.
   */
  async reportDeadLetter(seq: number, attempt: number, stage: PipelineStage): Promise<DeadLetterFacts | null> {
    return (await this.scheduler.reportDeadLetter(seq, attempt, stage)) ?? null;
  }

  /** An intent or dialogue consumer failed a delivery of one of this conversation's turns (the gateway's `stratus-turn-failures` consumer). */
  recordTurnFailure(raw: unknown): void {
    const report = TurnFailureReportSchema.parse(raw);
    if (this.record.info()?.id === report.conversationId) this.turns.recordFailure(report);
  }

  /** An operator replays a dead-lettered turn (`POST /v1/dead-letters/{id}/replay`); the turn rules decide whether it may run. */
  async replayTurn(seq: number): Promise<Outcome<{ state: DeadLetterTurnView }>> {
    if (!this.record.info()) return failure("conversation_not_found");
    const replayed = await this.scheduler.replay(seq);
    if (!replayed.ok) return replayed;
    return { ok: true, state: this.scheduler.deadLetterState(seq) };
  }

  /** Where these dead-lettered turns are now, and their last failure (the dead-letter list's live columns), by seq. */
  deadLetterStates(seqs: number[]): Record<string, DeadLetterTurnView> {
    return Object.fromEntries(seqs.map((seq) => [String(seq), this.scheduler.deadLetterState(seq)]));
  }

  /** A human takes the conversation (true) or gives it back to the bot (false). */
  setHandoff(handedOff: boolean): Outcome<{ handedOff: boolean }> {
    const info = this.record.info();
    if (!info) return failure("conversation_not_found");
    const changed = handedOff !== this.record.handedOff();
    if (handedOff && !this.record.handedOff()) {
      this.metrics().count("stratus_handoffs_total", { bot: info.bot, trigger: "operator" });
      this.analytics.handedOff("operator");
    }
    if (handedOff) this.scheduler.handOff();
    else this.scheduler.release();
    if (changed) this.handoffChanged(handedOff ? "operator" : null);
    return { ok: true, handedOff };
  }

  /** A human operator speaks in the conversation; every connected client receives it. */
  appendAgentMessage(text: string): Outcome<{ message: Message }> {
    const info = this.record.info();
    if (!info) return failure("conversation_not_found");
    const message = this.transcript.appendAgent(text, new Date());
    this.metrics().count("stratus_messages_total", { bot: info.bot, locale: info.locale ?? UNKNOWN_LOCALE, role: "agent" });
    this.broadcastMessages([message]);
    this.outbox.afterStored([message]);
    this.directory.sendNow();
    this.analytics.agentMessage(message);
    return { ok: true, message };
  }

  /**
   * A verified user message of a messaging channel's chat (the gateway's channel webhook): the chat's
   * conversation is created on its first message; a delivery the platform repeats makes no second turn.
   */
  async receiveChannelMessage(raw: unknown): Promise<ChannelTurnResult> {
    const turn = ChannelTurnSchema.parse(raw);
    return receiveChannelTurn(
      { record: this.record, transcript: this.transcript, outbox: this.outbox, created: () => this.publishToDirectory(), versionForNew: (bot, id) => this.versionForNew(bot, id), openUserTurn: (input) => this.openUserTurn(input) },
      turn,
    );
  }

  /** The version a new conversation of `bot` with this id starts on, through the isolate's release cache (as the gateway's POST /v1/conversations does). */
  private async versionForNew(bot: string, conversationId: string): Promise<number> {
    const { version } = await releaseForNewConversation(bot, conversationId, () => this.env.BOT_REGISTRY.get(this.env.BOT_REGISTRY.idFromName(bot)).release());
    return version;
  }

  /** The outbound sender's ledger for this chat (shared/channel-delivery.ts): claim before a send, settle or release after. */
  claimChannelDelivery(raw: unknown): ClaimResult {
    return this.outbox.claim(DeliveryClaimSchema.parse(raw));
  }

  settleChannelDelivery(seq: number): void {
    this.outbox.settle(seq);
  }

  releaseChannelDelivery(seq: number, lease: string): void {
    this.outbox.release(seq, lease);
  }

  /** The outbound queue dead-lettered the message `after`…`through`: settled undelivered, so later ones go on. */
  abandonChannelDelivery(after: number, through: number): boolean {
    return this.outbox.abandon(after, through);
  }

  /**
   * WebSocket upgrade (the only HTTP the object serves): a page of replay, `ready`, then live
   * messages. The gateway builds this request (workers/gateway/src/routes/websocket.ts) from a
   * socket ticket it verified: its query says who is connecting; the ticket is accepted once here.
   */
  override fetch(request: Request): Response {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return errorResponse(errorInfo("upgrade_required"));
    const info = this.record.info();
    if (!info) return errorResponse(errorInfo("conversation_not_found"));
    const open = SocketOpenSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!open.success) return errorResponse(errorInfo("invalid_request", "the gateway sent no valid socket role"));
    const admitted = this.access.admitTicket(open.data);
    if (!admitted.ok) return errorResponse(admitted.error);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    setSocketAttachment(server, { role: open.data.role, client: open.data.client });
    countOpenSocket(server, this.metrics(), info.bot);
    for (const message of this.transcript.listAfter(open.data.after, REPLAY_PAGE)) sendFrame(server, { type: "message", message });
    // A reply the LLM is still writing: the text so far, then its deltas as they come (reply-streams.ts).
    for (const frame of this.streams.snapshot()) sendFrame(server, frame);
    sendFrame(server, { type: "ready", lastSeq: this.transcript.lastSeq(), handedOff: this.record.handedOff() });
    return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": SOCKET_PROTOCOL } });
  }

  /**
   * A client frame: the same admission as POST …/messages, then the same append. An operator's
   * socket is read-only: an operator writes as the agent (POST …/agent-messages), never as the user.
   */
  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const info = this.record.info();
    if (!info) return; // Sockets are accepted only for a conversation that exists.
    const attachment = socketAttachment(socket);
    if (attachment.role !== "user") {
      return sendError(socket, errorInfo("forbidden", "this socket was opened with the operator key and is read-only; an agent writes with POST …/agent-messages"));
    }
    const decoded = decodeFrame(data);
    if (!decoded.ok) return sendError(socket, decoded.error);
    const admitted = await admitUserMessage(decoded.frame, {
      channel: "websocket",
      conversationId: info.id,
      limiter: this.env.MESSAGE_LIMITER,
      addressLimiter: this.env.ADDRESS_MESSAGE_LIMITER,
      client: attachment.client,
      metrics: this.metrics(),
    });
    if (!admitted.ok) return sendError(socket, admitted.error);
    const trace = continueTrace(admitted.traceparent);
    // The socket opened with a ticket checked against revocations, and a revocation since closed it.
    const appended = await this.openUserTurn({ ...admitted.message, traceId: trace.traceId, traceparent: formatTraceparent(trace), client: attachment.client });
    if (!appended.ok) sendError(socket, appended.error);
  }

  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    countClosedSocket(socket, this.metrics(), this.record.info()?.bot ?? "");
    try {
      socket.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic close reply.
    }
  }

  override webSocketError(socket: WebSocket): void {
    countClosedSocket(socket, this.metrics(), this.record.info()?.bot ?? "");
  }

  /**
   * Deletes everything the conversation stored once it has been idle for the deployment's retention
   * (retention.ts), never while a turn is in flight; asked by its bot's directory when it sweeps.
   * Afterwards the object answers as for a conversation that never existed (404).
   */
  async expireIfIdle(): Promise<{ expired: boolean; lastActivityAt: string | null }> {
    const info = this.record.info();
    if (!info) return { expired: false, lastActivityAt: null };
    const lastActivityAt = this.transcript.last()?.createdAt ?? info.createdAt;
    const retentionDays = gatewayConfig(this.env).STRATUS_RETENTION_DAYS;
    const verdict = retentionVerdict(Date.parse(lastActivityAt), Date.now(), retentionDays);
    if (!verdict.expired || this.turns.inFlight()) return { expired: false, lastActivityAt };
    await this.deleteEverything("conversation expired");
    // A signed-in user's list of conversations no longer names it.
    await forgetInUserProfile(this.env, info);
    console.log(JSON.stringify({ event: "conversation_expired", conversationId: info.id, retentionDays }));
    return { expired: true, lastActivityAt };
  }

  /**
   * Everything the conversation holds, for its signed-in user's export (GDPR Article 15): what it is
   * and its whole transcript, as stored (masked). Null when it is not this user's, or does not exist.
   */
  exportForUser(sub: string): UserConversationExport | null {
    const info = this.record.info();
    if (!info || info.user !== sub) return null;
    const messages: Message[] = [];
    for (let page = this.transcript.listAfter(0, REPLAY_PAGE); page.length > 0; page = this.transcript.listAfter(page.at(-1)?.seq ?? 0, REPLAY_PAGE)) {
      messages.push(...page);
    }
    return { ...conversationSummary(info, this.record.handedOff(), this.transcript.lastSeq(), this.turns.state()), messages };
  }

  /**
   * Erases the conversation for its signed-in user (GDPR Article 17): every row, the alarm, the
   * sockets; afterwards it answers 404 like one that never existed. False when it is not this
   * user's (or is gone already): erasing twice is harmless.
   */
  async eraseForUser(sub: string): Promise<boolean> {
    const info = this.record.info();
    if (!info || info.user !== sub) return false;
    await this.deleteEverything("conversation erased");
    // The user's id is personal data: the line names the conversation, not whose it was.
    console.log(JSON.stringify({ event: "conversation_erased", conversationId: info.id }));
    return true;
  }

  /** Deletes every row and the alarm, closes the sockets: an empty object, as one that was never created. */
  private async deleteEverything(reason: string): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) socket.close(1000, reason);
    this.watch(null);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // No table (the next write creates it), nothing cached.
    this.log.forget();
    this.record.forget();
    this.transcript.forget();
    this.turns.forget();
    this.unmasked.clear();
    this.outbox.forget();
  }

  /** When the watchdog fires for the turn in flight (null: nothing in flight, nothing armed). */
  watchdogDueAt(): number | null {
    return this.watchdogAt;
  }

  /** An alarm stored by older code (the watchdog is a timer now: `watch`) or by a channel conversation whose outbound message the queue refused. */
  override async alarm(): Promise<void> {
    await this.scheduler.onAlarm();
    // A channel conversation's outbound message the queue refused (channel-outbox.ts).
    await this.outbox.onAlarm();
  }

  /** The append both ways in share (POST …/messages via appendUserTurn, a socket's frame), once access is settled. */
  private async openUserTurn(input: NewUserTurn): Promise<AppendUserTurnResult> {
    const bot = this.record.info()?.bot ?? "";
    const masked = maskForStorage(bot, input.text);
    if (input.clientMessageId !== undefined) {
      const original = this.transcript.findByClientMessageId(input.clientMessageId);
      if (original) {
        if (original.text === masked) return { ok: true, message: original, duplicate: true };
        return failure(
          "client_message_id_conflict",
          `clientMessageId ${input.clientMessageId} was already used for a different text`,
        );
      }
    }
    const fits = admitToTranscript(this.transcript, this.limits, masked);
    if (!fits.ok) return fits;
    // The transcript keeps the masked text; the pipeline is sent what the user wrote (redaction-at-rest.ts).
    const { message, sent } = this.scheduler.open({ ...input, text: masked }, (seq) => this.unmasked.hold(seq, input.text, masked));
    this.broadcastMessages([message]);
    // While the bot has the conversation its reply refreshes the directory (directory-refresh.ts);
    // while a person has it, the inbox must see the user's message itself, at once.
    if (this.record.handedOff()) this.directory.sendNow();
    await sent;
    return { ok: true, message, duplicate: false };
  }

  /**
   * The watchdog for the turn in flight: a timer while the object is in memory (a pending timer
   * keeps it from hibernating, so it fires), re-armed when the object starts with a turn in flight.
   * No alarm is stored for it: an answered turn costs no row and no alarm invocation.
   */
  private watch(at: number | null): void {
    if (this.watchdog !== undefined) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    this.watchdogAt = at;
    if (at === null) return;
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined;
      this.watchdogAt = null;
      this.ctx.waitUntil(this.scheduler.onAlarm().catch((error: unknown) => console.error(JSON.stringify({ event: "watchdog_failed", error: String(error) }))));
    }, Math.max(0, at - Date.now()));
  }

  /** A person took the conversation (`by` whom) or gave it back (null): clients and the directory learn it. */
  private handoffChanged(by: HandedOffBy | null): void {
    this.record.setHandedOffBy(by);
    broadcast(this.ctx.getWebSockets(), { type: "handoff", handedOff: by !== null });
    this.directory.sendNow();
  }

  /** Reports the conversation's current entry for its bot's directory (the operator inbox lists it). */
  private publishToDirectory(): void {
    this.lastRevision = Math.max(Date.now(), this.lastRevision + 1);
    const entry = directoryEntry(this.record, this.transcript.last(), new Date(), this.lastRevision);
    if (entry) this.outgoing.entry(entry);
  }

  private broadcastMessages(messages: Message[]): void {
    const sockets = this.ctx.getWebSockets();
    for (const message of messages) broadcast(sockets, { type: "message", message });
  }

  /**
   * Reports this object sends itself (those of a turn go back to the dialogue Worker): to its shard of
   * the analytics queue, after the call; nobody waits for it. A send is tried three times, then
   * counted as lost (stratus_reports_lost_total).
   */
  private sendReports(message: ConversationReports): void {
    const conversationId = this.record.info()?.id;
    if (!conversationId) return;
    this.ctx.waitUntil(sendReportsWithRetries(this.env, conversationId, message, this.metrics()));
  }

  /**
   * This isolate's metrics, for something the object is about to record: the deltas are flushed
   * to the aggregator after the call, in the background (shared/metrics/flush.ts).
   */
  private metrics(): Metrics {
    flushMetricsLater(this.env, this.ctx);
    return metricsFor(this.env);
  }
}

