import { StratusApi } from "./api.ts";
import { DEFAULT_BACKOFF, retryDelay, type BackoffOptions } from "./backoff.ts";
import { Emitter } from "./emitter.ts";
import { StratusError } from "./errors.ts";
import { newClientMessageId } from "./ids.ts";
import type { ChannelState, LiveChannel } from "./live-channel.ts";
import { MessageLog } from "./message-log.ts";
import { PollChannel } from "./poll-channel.ts";
import { isStreamFrame, ReplyStreamTracker, type StreamingReply } from "./reply-streams.ts";
import { SocketChannel, type SocketConstructor } from "./socket-channel.ts";
import { memoryStore, type ConversationStore, type OutgoingMessage } from "./storage.ts";
import type { Conversation, Locale, Message, ReplyEvent, ServerFrame } from "./types.ts";

export type Transport = "websocket" | "long-poll";

/**
 * `connecting`: starting or resuming the conversation; `connected`: live; `reconnecting`: the link
 * dropped and is being re-established (messages are queued meanwhile); `offline`: the device says it
 * has no network; `closed`: `close()` was called.
 */
export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "offline" | "closed";

export interface StratusClientEvents {
  /** Each transcript message exactly once, in `seq` order: the user's (from any tab), the bot's, an agent's. */
  message: Message;
  status: { status: ConnectionStatus; transport: Transport };
  /** A person took the conversation over (true) or gave it back to the bot (false). */
  handoff: { handedOff: boolean };
  /** The bot is working on the user's last message (also while its reply streams). */
  typing: boolean;
  /**
   * A reply the LLM is writing, each time its text grows, and once more when it is over (`done`):
   * then its `messageId` names the stored reply that takes its place (docs/streaming.md).
   */
  stream: StreamingReply;
  /** The messages written but not yet acknowledged by the server, oldest first. */
  outbox: readonly OutgoingMessage[];
  /** The conversation was created or resumed. */
  conversation: Conversation;
  error: StratusError;
}

export interface StratusClientOptions {
  /** The gateway, e.g. `https://chat.example.com`. */
  baseUrl: string;
  /** The bot to talk to (default: the deployment's default bot). */
  bot?: string | undefined;
  /** The conversation's language; without one, each message's language is detected. */
  locale?: Locale | undefined;
  /** IANA time zone for dates the bot reads ("tomorrow at 3"); default: the device's. */
  timezone?: string | undefined;
  /** Where the conversation is kept between sessions (default: memory only). See `localStorageStore`. */
  store?: ConversationStore | undefined;
  /** `auto` (default): WebSocket, falling back to long-polling when sockets cannot connect. */
  transport?: "auto" | Transport | undefined;
  backoff?: Partial<BackoffOptions> | undefined;
  /** WebSocket: how often to check that the socket is alive (default 25 s). */
  heartbeatMs?: number | undefined;
  /** Long-polling: how often to look for messages nobody waited for (default 2 s). */
  pollIntervalMs?: number | undefined;
  fetch?: typeof fetch | undefined;
  WebSocket?: SocketConstructor | undefined;
  /** How clientMessageIds are made (default: random UUIDs). */
  newClientMessageId?: (() => string) | undefined;
  /**
   * Renew the conversation token in the background while the client runs (default true): a token
   * expires (`tokenExpiresAt`), so a conversation in use gets a fresh one at half its remaining life.
   * Off for a credential that is not a conversation token (the operator inbox reads with its key).
   */
  renewToken?: boolean | undefined;
  /**
   * The signed-in user's token, signed by the host site for its user (docs/users.md). The client
   * then resumes the user's latest conversation with this bot — on any device — or starts one that
   * is theirs. Without it the user is anonymous and only this device's stored conversation resumes.
   */
  userToken?: string | undefined;
  /**
   * Asked for a fresh user token when the gateway refuses the current one (it expired): the host
   * site signs a new one. Without it, an expired user token is an `unauthorized` error.
   */
  refreshUserToken?: (() => Promise<string>) | undefined;
}

/** Sockets that close before opening this many times in a row, while HTTP works, mean a blocked WebSocket. */
const SOCKET_FAILURES_BEFORE_POLLING = 3;
/** How long `?wait` holds a long-polling send for the bot's replies (the gateway allows 30). */
const POLL_SEND_WAIT_SECONDS = 25;
/** A turn unanswered this long stops showing as typing: the pipeline answers (or falls back) sooner. */
const TYPING_TIMEOUT_MS = 60_000;

interface NetworkEvents {
  addEventListener?(type: "online" | "offline", listener: () => void): void;
  removeEventListener?(type: "online" | "offline", listener: () => void): void;
  navigator?: { onLine?: boolean };
}

/**
 * A conversation with a Stratus bot that survives the network: every message is delivered once and
 * in order (resumed by `seq` after a reconnect), and messages written while offline are sent, once
 * each, when the connection returns (the same `clientMessageId` makes a resend idempotent).
 */
export class StratusClient {
  readonly api: StratusApi;
  private readonly events = new Emitter<StratusClientEvents>();
  private readonly log = new MessageLog();
  private readonly replyStreams = new ReplyStreamTracker();
  private readonly store: ConversationStore;
  private readonly backoff: BackoffOptions;
  private readonly socketConstructor: SocketConstructor | undefined;
  private readonly makeId: () => string;
  private readonly network = globalThis as NetworkEvents;

  private current: Conversation | null = null;
  private starting: Promise<Conversation> | null = null;
  private channel: LiveChannel | null = null;
  private transportInUse: Transport;
  private channelState: ChannelState | "idle" = "idle";
  private statusShown: ConnectionStatus = "idle";
  private online: boolean;
  private closed = false;

  private queue: OutgoingMessage[] = [];
  private flushing = false;
  private sendAttempt = 0;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private fillingGap = false;

  private handedOffNow = false;
  /** The last seq when the handoff state last changed: user messages up to it were for a person. */
  private heldUpTo = 0;
  private lastAnswered = 0;
  private receivedAt = new Map<number, number>();
  private typingNow = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private userToken: string | undefined;

  constructor(private readonly options: StratusClientOptions) {
    this.userToken = options.userToken;
    const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.api = new StratusApi(options.baseUrl, fetchImpl);
    this.store = options.store ?? memoryStore();
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.socketConstructor = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    this.makeId = options.newClientMessageId ?? newClientMessageId;
    this.transportInUse = options.transport === "long-poll" || !this.socketConstructor ? "long-poll" : "websocket";
    this.online = this.network.navigator?.onLine !== false;
  }

  on<Name extends keyof StratusClientEvents>(name: Name, listener: (payload: StratusClientEvents[Name]) => void): () => void {
    return this.events.on(name, listener);
  }

  off<Name extends keyof StratusClientEvents>(name: Name, listener: (payload: StratusClientEvents[Name]) => void): void {
    this.events.off(name, listener);
  }

  get conversation(): Conversation | null {
    return this.current;
  }

  /** The transcript so far, oldest first. */
  get messages(): readonly Message[] {
    return this.log.messages;
  }

  /** Messages written but not yet acknowledged, oldest first. */
  get outbox(): readonly OutgoingMessage[] {
    return this.queue;
  }

  get status(): ConnectionStatus {
    return this.statusShown;
  }

  get transport(): Transport {
    return this.transportInUse;
  }

  get handedOff(): boolean {
    return this.handedOffNow;
  }

  get typing(): boolean {
    return this.typingNow;
  }

  /** The replies the LLM is writing now (see the `stream` event). */
  get streaming(): readonly StreamingReply[] {
    return this.replyStreams.open;
  }

  /**
   * Resumes the stored conversation (if the server still knows it and it is for this bot and
   * locale) or creates one, then goes live. Retries while the network is down; rejects only when
   * the server refuses (an unknown bot, say). Calling it again returns the same promise.
   */
  start(): Promise<Conversation> {
    if (this.closed) return Promise.reject(new StratusError("closed", "the client was closed", null));
    this.starting ??= this.open().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /**
   * Queues a message and sends it as soon as the server can be reached; returns it with its
   * clientMessageId. The transcript gets it (with its `seq`) once the server has stored it.
   */
  send(text: string): OutgoingMessage {
    if (this.closed) throw new StratusError("closed", "the client was closed", null);
    const trimmed = text.trim();
    if (trimmed === "") throw new StratusError("invalid_request", "text is empty", null);
    const outgoing: OutgoingMessage = { clientMessageId: this.makeId(), text: trimmed };
    this.queue.push(outgoing);
    this.outboxChanged();
    this.sendAttempt = 0;
    void this.flush();
    return outgoing;
  }

  /** Stops all network activity. The stored conversation stays, for the next client to resume. */
  close(): void {
    this.closed = true;
    this.stopLive();
    clearTimeout(this.sendTimer);
    clearTimeout(this.typingTimer);
    clearTimeout(this.renewTimer);
    this.network.removeEventListener?.("online", this.onOnline);
    this.network.removeEventListener?.("offline", this.onOffline);
    this.setStatus();
  }

  /**
   * Forgets the conversation (a user logging out): stops, clears the store, the transcript and the
   * outbox. The next `start()` creates a new conversation.
   */
  async reset(): Promise<void> {
    this.stopLive();
    clearTimeout(this.sendTimer);
    clearTimeout(this.renewTimer);
    this.current = null;
    this.starting = null;
    this.queue = [];
    this.log.clear();
    for (const ended of this.replyStreams.clear()) this.events.emit("stream", ended);
    this.receivedAt.clear();
    this.lastAnswered = 0;
    this.heldUpTo = 0;
    this.setHandedOff(false);
    this.updateTyping();
    this.outboxChanged();
    this.channelState = "idle";
    this.setStatus();
    await this.store.clear();
  }

  private async open(): Promise<Conversation> {
    this.channelState = "connecting";
    this.setStatus();
    this.network.addEventListener?.("online", this.onOnline);
    this.network.addEventListener?.("offline", this.onOffline);
    const conversation = (this.userToken === undefined ? await this.resume() : await this.resumeSignedIn()) ?? (await this.create());
    if (this.closed) return conversation;
    this.current = conversation;
    await this.persist();
    this.events.emit("conversation", conversation);
    this.scheduleRenewal();
    this.startLive();
    void this.flush();
    return conversation;
  }

  /**
   * A signed-in user's latest conversation with this bot, from the server (so a new device finds it);
   * null when they have none (or it is in another locale than asked for). The one this device stored
   * resumes as below, with its outbox; a stored conversation that is not the latest (an anonymous one,
   * another user's) is left alone.
   */
  private async resumeSignedIn(): Promise<Conversation | null> {
    let latest: { id: string } | undefined;
    try {
      [latest] = await this.withUserToken((token) => this.api.listMyConversations(token, { bot: this.options.bot, limit: 1 }));
    } catch (error) {
      // Unreachable: the conversation this device stored, resumed when the network returns. Refused: said, and thrown.
      if (error instanceof StratusError && error.retryable) return this.resume();
      const failure = error instanceof StratusError ? error : new StratusError("network_error", String(error), null);
      this.events.emit("error", failure);
      throw failure;
    }
    if (!latest) return null;
    const saved = await this.store.load();
    if (saved?.conversation.id === latest.id) return this.resume();
    // Gone since it was listed (erased, expired): a new one is started instead.
    const resumed = await this.withUserToken((token) => this.api.resumeMyConversation(token, latest.id)).catch((error: unknown) => {
      if (error instanceof StratusError && !error.retryable) return null;
      throw error;
    });
    if (resumed === null) return null;
    const { conversation, handedOff } = resumed;
    if (this.options.locale !== undefined && conversation.locale !== this.options.locale) return null;
    this.setHandedOff(handedOff);
    return conversation;
  }

  /** Calls the gateway with the user token, once more with a fresh one when it was refused and `refreshUserToken` can renew it. */
  private async withUserToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(this.userToken ?? "");
    } catch (error) {
      if (!(error instanceof StratusError) || error.status !== 401 || !this.options.refreshUserToken) throw error;
      this.userToken = await this.options.refreshUserToken();
      return call(this.userToken);
    }
  }

  /** The stored conversation if it can be resumed, with its outbox queued ahead of anything new. */
  private async resume(): Promise<Conversation | null> {
    const saved = await this.store.load();
    if (!saved) return null;
    const { conversation } = saved;
    const wanted = (this.options.bot === undefined || conversation.bot === this.options.bot) &&
      (this.options.locale === undefined || conversation.locale === this.options.locale);
    if (!wanted) return null;
    try {
      const summary = await this.api.getConversation(conversation);
      this.setHandedOff(summary.handedOff);
    } catch (error) {
      // Gone or no longer ours (401/404): start afresh. Unreachable: resume anyway and retry live.
      if (!(error instanceof StratusError) || !error.retryable) return null;
    }
    const queuedNow = this.queue;
    this.queue = [...saved.outbox.filter((entry) => !queuedNow.some((q) => q.clientMessageId === entry.clientMessageId)), ...queuedNow];
    this.outboxChanged();
    return conversation;
  }

  private async create(): Promise<Conversation> {
    for (let attempt = 0; ; attempt++) {
      try {
        const input = { bot: this.options.bot, locale: this.options.locale, timezone: this.options.timezone ?? deviceTimezone() };
        if (this.userToken === undefined) return await this.api.createConversation(input);
        return await this.withUserToken((userToken) => this.api.createConversation({ ...input, userToken }));
      } catch (error) {
        const failure = error instanceof StratusError ? error : new StratusError("network_error", String(error), null);
        if (!failure.retryable || this.closed) {
          this.events.emit("error", failure);
          throw failure;
        }
        this.channelState = "reconnecting";
        this.setStatus();
        await sleep(retryDelay(failure, attempt, this.backoff));
      }
    }
  }

  private startLive(): void {
    if (!this.current || this.closed) return;
    this.channel ??= this.transportInUse === "websocket" ? this.socketChannel() : this.pollChannel();
    if (this.online) this.channel.start();
    else this.setStatus();
  }

  private stopLive(): void {
    this.channel?.stop();
    this.channel = null;
  }

  private socketChannel(): SocketChannel {
    const WebSocketImpl = this.socketConstructor;
    if (!WebSocketImpl) throw new Error("no WebSocket implementation");
    return new SocketChannel({
      connect: async () => {
        const conversation = this.requireConversation();
        const protocols = await this.api.socketProtocols(conversation);
        return { url: this.api.socketUrl(conversation, this.log.lastSeq), protocols };
      },
      // The conversation refused the credential (revoked, expired) or is gone: reconnecting cannot help.
      isFatal: (error) => error instanceof StratusError && (error.status === 401 || error.status === 404),
      onFatal: (error) => this.conversationLost(error),
      WebSocket: WebSocketImpl,
      backoff: this.backoff,
      heartbeatMs: this.options.heartbeatMs ?? 25_000,
      onText: (text) => this.onFrame(text),
      onState: (state) => this.onChannelState(state),
      onOpenFailure: (consecutive) => {
        if (this.options.transport === "auto" || this.options.transport === undefined) {
          if (consecutive >= SOCKET_FAILURES_BEFORE_POLLING) void this.fallBackToPollingIfHttpWorks();
        }
      },
    });
  }

  private pollChannel(): PollChannel {
    return new PollChannel({
      intervalMs: this.options.pollIntervalMs ?? 2000,
      backoff: this.backoff,
      onState: (state) => this.onChannelState(state),
      poll: async () => {
        const conversation = this.requireConversation();
        const [messages, summary] = await Promise.all([
          this.api.listMessagesAfter(conversation, this.log.lastSeq),
          this.api.getConversation(conversation),
        ]);
        this.acceptMessages(messages);
        this.setHandedOff(summary.handedOff);
      },
    });
  }

  /** Sockets keep failing to open: if plain HTTP gets through, a proxy blocks them, so poll instead. */
  private async fallBackToPollingIfHttpWorks(): Promise<void> {
    if (this.transportInUse !== "websocket" || !this.current) return;
    const httpWorks = await this.api.getConversation(this.current).then(
      () => true,
      () => false,
    );
    if (!httpWorks || this.transportInUse !== "websocket" || this.closed) return;
    this.stopLive();
    this.transportInUse = "long-poll";
    this.startLive();
  }

  private onFrame(text: string): void {
    let frame: ServerFrame | { type: string };
    try {
      frame = JSON.parse(text) as ServerFrame | { type: string };
    } catch {
      return;
    }
    if (isFrame(frame, "message")) this.acceptMessages([frame.message]);
    else if (isStreamFrame(frame)) this.showStream(this.replyStreams.accept(frame));
    else if (isFrame(frame, "ready")) {
      // Streams this socket did not tell about (after its replay) ended while the client was away.
      for (const ended of this.replyStreams.replayDone()) this.showStream(ended);
      // The socket replays at most a page: a client further behind reads the rest over HTTP.
      this.setHandedOff(frame.handedOff);
      if (frame.lastSeq > this.log.lastSeq) void this.fillGap();
    } else if (isFrame(frame, "handoff")) this.setHandedOff(frame.handedOff);
    else if (isFrame(frame, "error")) {
      this.events.emit("error", new StratusError(frame.error.code, frame.error.message, null));
    }
    // Frame types this version does not know are skipped: newer servers may add some.
  }

  private showStream(update: StreamingReply | undefined): void {
    if (update) this.events.emit("stream", update);
  }

  /** An event of a long-polling send answered as server-sent events: its stream frames, shown as a socket's would be. */
  private onReplyEvent(event: ReplyEvent): void {
    if (isStreamFrame(event)) this.showStream(this.replyStreams.accept(event));
  }

  private acceptMessages(messages: Message[]): void {
    if (messages.length === 0) return;
    const { delivered, missingAfter } = this.log.accept(messages);
    const now = Date.now();
    for (const message of delivered) {
      this.receivedAt.set(message.seq, now);
      if (message.role === "bot" && message.replyTo !== undefined) this.lastAnswered = Math.max(this.lastAnswered, message.replyTo);
      if (message.role === "agent") this.setHandedOff(true);
      if (message.role === "user" && message.clientMessageId !== undefined) this.removeFromOutbox(message.clientMessageId);
      this.events.emit("message", message);
    }
    if (delivered.length > 0) this.updateTyping();
    if (missingAfter !== null) void this.fillGap();
  }

  /** A message arrived ahead of one not seen yet: fetch what is missing over HTTP. */
  private async fillGap(): Promise<void> {
    const conversation = this.current;
    if (this.fillingGap || !conversation) return;
    this.fillingGap = true;
    try {
      this.acceptMessages(await this.api.listMessagesAfter(conversation, this.log.lastSeq));
    } catch {
      // The next reconnect replays from the last seq anyway.
    } finally {
      this.fillingGap = false;
    }
  }

  /** Sends the outbox in order, one request at a time, so the server stores them as written. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.sendTimer);
    try {
      for (let next = this.queue[0]; next && this.current && this.online && !this.closed; next = this.queue[0]) {
        const conversation = this.current;
        const wait = this.transportInUse === "long-poll" ? POLL_SEND_WAIT_SECONDS : undefined;
        try {
          // Long-polling asks for the wait's events, so a reply the LLM writes streams here too.
          const posted = await this.api.postMessage(conversation, next, wait, (event) => this.onReplyEvent(event));
          if (conversation !== this.current) return;
          this.sendAttempt = 0;
          this.removeFromOutbox(next.clientMessageId);
          this.acceptMessages([posted.message, ...(posted.replies ?? [])]);
        } catch (error) {
          const failure = error instanceof StratusError ? error : new StratusError("network_error", String(error), null);
          if (conversation !== this.current) return;
          if (failure.retryable) {
            this.sendTimer = setTimeout(() => void this.flush(), retryDelay(failure, this.sendAttempt++, this.backoff));
            return;
          }
          // Refused for good (too long, a reused id…): resending would fail the same way.
          this.removeFromOutbox(next.clientMessageId);
          this.events.emit("error", failure.withClientMessageId(next.clientMessageId));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Schedules the token's renewal at half its remaining life (see `renewToken` in the options). */
  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const conversation = this.current;
    if (this.options.renewToken === false || !conversation || this.closed) return;
    const expiresAt = Date.parse(conversation.tokenExpiresAt);
    const delay = Number.isFinite(expiresAt) ? Math.max(0, (expiresAt - Date.now()) / 2) : 0;
    this.renewTimer = setTimeout(() => void this.renewToken(0), Math.min(delay, MAX_TIMER_MS));
  }

  private async renewToken(attempt: number): Promise<void> {
    const conversation = this.current;
    if (!conversation || this.closed) return;
    try {
      const renewed = await this.api.renewToken(conversation);
      if (conversation !== this.current) return;
      // Updated in place: requests in progress keep comparing the same conversation object.
      conversation.token = renewed.token;
      conversation.tokenExpiresAt = renewed.tokenExpiresAt;
      await this.persist();
      this.scheduleRenewal();
    } catch (error) {
      const failure = error instanceof StratusError ? error : new StratusError("network_error", String(error), null);
      if (conversation !== this.current || this.closed) return;
      if (failure.retryable) {
        this.renewTimer = setTimeout(() => void this.renewToken(attempt + 1), retryDelay(failure, attempt, this.backoff));
        return;
      }
      this.conversationLost(failure);
    }
  }

  /**
   * The server no longer accepts this conversation's credential (an operator revoked it, it expired)
   * or no longer has the conversation: live updates stop and the app hears why; `reset()` starts anew.
   */
  private conversationLost(error: unknown): void {
    const failure = error instanceof StratusError ? error : new StratusError("unauthorized", String(error), 401);
    this.stopLive();
    clearTimeout(this.renewTimer);
    clearTimeout(this.sendTimer);
    this.channelState = "idle";
    this.setStatus();
    this.events.emit("error", failure);
  }

  private removeFromOutbox(clientMessageId: string): void {
    const index = this.queue.findIndex((entry) => entry.clientMessageId === clientMessageId);
    if (index === -1) return;
    this.queue = this.queue.filter((_, i) => i !== index);
    this.outboxChanged();
  }

  private outboxChanged(): void {
    this.events.emit("outbox", this.queue);
    void this.persist();
  }

  private async persist(): Promise<void> {
    if (!this.current) return;
    try {
      await this.store.save({ conversation: this.current, outbox: this.queue });
    } catch (error) {
      // Storage full or denied: the conversation goes on, it just will not survive a reload.
      this.events.emit("error", new StratusError("storage_error", String(error), null));
    }
  }

  private setHandedOff(handedOff: boolean): void {
    if (handedOff === this.handedOffNow) return;
    this.handedOffNow = handedOff;
    this.heldUpTo = this.log.lastSeq;
    this.events.emit("handoff", { handedOff });
    this.updateTyping();
  }

  private updateTyping(): void {
    clearTimeout(this.typingTimer);
    const lastUser = lastUserMessage(this.log.messages);
    const age = lastUser ? Date.now() - (this.receivedAt.get(lastUser.seq) ?? 0) : Infinity;
    const typing =
      lastUser !== undefined &&
      !this.handedOffNow &&
      lastUser.seq > this.heldUpTo &&
      lastUser.seq > this.lastAnswered &&
      age < TYPING_TIMEOUT_MS;
    if (typing) this.typingTimer = setTimeout(() => this.updateTyping(), TYPING_TIMEOUT_MS - age);
    if (typing === this.typingNow) return;
    this.typingNow = typing;
    this.events.emit("typing", typing);
  }

  private onChannelState(state: ChannelState): void {
    this.channelState = state;
    this.setStatus();
    if (state === "connected" && this.transportInUse === "websocket") this.replyStreams.socketOpened();
    if (state === "connected") {
      this.sendAttempt = 0;
      void this.flush();
    }
  }

  private setStatus(): void {
    const status: ConnectionStatus = this.closed
      ? "closed"
      : !this.online && this.current
        ? "offline"
        : this.channelState;
    if (status === this.statusShown) return;
    this.statusShown = status;
    this.events.emit("status", { status, transport: this.transportInUse });
  }

  private readonly onOnline = (): void => {
    this.online = true;
    this.sendAttempt = 0;
    if (this.channel) this.channel.wake();
    this.startLive();
    this.setStatus();
    void this.flush();
  };

  private readonly onOffline = (): void => {
    this.online = false;
    this.channel?.stop();
    this.setStatus();
  };

  private requireConversation(): Conversation {
    if (!this.current) throw new Error("no conversation yet");
    return this.current;
  }
}

function isFrame<Type extends ServerFrame["type"]>(
  frame: { type: string },
  type: Type,
): frame is Extract<ServerFrame, { type: Type }> {
  return frame.type === type;
}

/** (Array.prototype.findLast is missing from older React Native engines.) */
function lastUserMessage(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") return messages[i];
  return undefined;
}

function deviceTimezone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** setTimeout's largest delay (about 24.8 days); a renewal due later happens at that point instead (early, harmlessly). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
