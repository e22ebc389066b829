// The client `npm run bench:load` and `npm run bench:faults` drive conversations with, the same for
// the pipeline and for the bare hello Worker. One conversation sends its messages one after another
// (each after a think time), over the conversation WebSocket (default) or as POST …/messages?wait,
// and records when each was sent, stored and answered. When the connection drops (the runtime
// killed) it reconnects with exponential backoff and jitter, resumes the socket from the last seq it
// saw and sends every unanswered message again with the same clientMessageId, as the SDK does.
// What it saw on the wire (duplicate frames, frames out of order, gaps) is counted as it arrives.
import { mintSocketTicket } from "../devkit/websocket-client.ts";
import type { Message } from "../shared/schemas/index.ts";

export type Transport = "websocket" | "http";

export interface SentMessage {
  clientMessageId: string;
  text: string;
  /** performance.now() of the first send. */
  sentAt: number;
  /** The user message's seq, once the server echoed it. */
  seq?: number;
  /** performance.now() when the stored user message came back (the gateway and object's part). */
  storedAt?: number;
  /** performance.now() when the first bot reply arrived. */
  answeredAt?: number;
  /** Milliseconds from the first reply's createdAt (written by the object) to its arrival: delivery. */
  deliveryMs?: number;
  /** Times it was sent again after a reconnect or a failed request. */
  resent: number;
}

export interface WireCounts {
  /** A frame with a seq this client had already received. */
  duplicateFrames: number;
  /** A frame with a seq lower than one already received, not seen before. */
  outOfOrderFrames: number;
  /** A jump in seq on a live socket (a missed frame; the resume would fill it only after a reconnect). */
  gaps: number;
  reconnects: number;
  failedRequests: number;
  /** HTTP requests answered with an error status (a 429 from a rate limit, say), each sent again after a backoff. */
  refused: number;
}

export interface ConversationTarget {
  base: string;
  id: string;
  token: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: 100 ms doubling, at most 2 s. */
const backoff = (attempt: number) => Math.random() * Math.min(2_000, 100 * 2 ** attempt);

/** A think time drawn from an exponential distribution with the given mean (0 = none): arrivals as a Poisson process. */
export const thinkTime = (meanMs: number) => (meanMs <= 0 ? 0 : -Math.log(1 - Math.random()) * meanMs);

export async function createConversation(base: string, body: Record<string, unknown>): Promise<ConversationTarget> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${base}/v1/conversations`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`create conversation: ${response.status} ${await response.text()}`);
      const created = (await response.json()) as { id: string; token: string };
      return { base, id: created.id, token: created.token };
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(backoff(attempt));
    }
  }
}

export class ConversationDriver {
  readonly sent = new Map<string, SentMessage>();
  readonly received: Message[] = [];
  readonly wire: WireCounts = { duplicateFrames: 0, outOfOrderFrames: 0, gaps: 0, reconnects: 0, failedRequests: 0, refused: 0 };
  private lastSeq = 0;
  private readonly seen = new Set<number>();
  private readonly bySeq = new Map<number, SentMessage>();
  private readonly answerWaiters = new Map<string, () => void>();
  private socket: WebSocket | undefined;
  private closed = false;
  private target: ConversationTarget;
  private readonly transport: Transport;

  constructor(target: ConversationTarget, transport: Transport) {
    this.target = target;
    this.transport = transport;
  }

  /** Where the conversation lives now (after a restart on another port, say). */
  retarget(base: string): void {
    this.target = { ...this.target, base };
  }

  get id(): string {
    return this.target.id;
  }

  get token(): string {
    return this.target.token;
  }

  async open(): Promise<void> {
    if (this.transport === "websocket") await this.connect();
  }

  /** Sends one message and resolves when its first reply arrived (or after `timeoutMs`: left unanswered). */
  async send(text: string, clientMessageId: string, timeoutMs: number): Promise<SentMessage> {
    const message: SentMessage = { clientMessageId, text, sentAt: performance.now(), resent: 0 };
    this.sent.set(clientMessageId, message);
    const answered = new Promise<void>((resolve) => {
      this.answerWaiters.set(clientMessageId, resolve);
      setTimeout(resolve, timeoutMs).unref();
    });
    if (this.transport === "websocket") this.sendFrame(message);
    else void this.post(message, timeoutMs);
    await answered;
    this.answerWaiters.delete(clientMessageId);
    return message;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private sendFrame(message: SentMessage): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return; // Sent when the socket is back (connect).
    this.socket.send(JSON.stringify({ type: "message", text: message.text, clientMessageId: message.clientMessageId }));
  }

  private async connect(): Promise<void> {
    // A fresh ticket per open, as the SDK mints them (the bare hello Worker hands out a dummy one).
    const ticket = await mintSocketTicket(this.target.base, this.target.id, this.target.token);
    return new Promise((resolve, reject) => {
      const url = new URL(`/v1/conversations/${this.target.id}/ws`, this.target.base.replace(/^http/, "ws"));
      if (this.lastSeq > 0) url.searchParams.set("after", String(this.lastSeq));
      const socket = new WebSocket(url, ["stratus.v1", `stratus.ticket.${ticket}`]);
      let opened = false;
      socket.addEventListener("open", () => {
        opened = true;
        this.socket = socket;
        // Everything not yet answered goes again with its clientMessageId: the object stores a
        // message once, and the resume (after=lastSeq) brings the frames missed meanwhile.
        for (const message of this.sent.values()) {
          if (message.answeredAt !== undefined) continue;
          if (this.wire.reconnects > 0) message.resent++;
          this.sendFrame(message);
        }
        resolve();
      });
      socket.addEventListener("message", (event) => this.onFrame(String(event.data)));
      socket.addEventListener("close", () => {
        if (this.socket === socket) this.socket = undefined;
        if (!opened) return reject(new Error("WebSocket failed to open"));
        if (!this.closed) void this.reconnect();
      });
      socket.addEventListener("error", () => {
        // The close event follows; reconnect happens there.
      });
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await sleep(backoff(attempt));
      try {
        this.wire.reconnects++;
        await this.connect();
        return;
      } catch {
        // Not back yet: try again.
      }
    }
  }

  private onFrame(raw: string): void {
    if (raw === "pong") return;
    const frame = JSON.parse(raw) as { type: string; message?: Message };
    if (frame.type !== "message" || !frame.message) return;
    this.record(frame.message, true);
  }

  /** One message as it arrived: counted against what this client saw before, then matched to a sent message. */
  private record(message: Message, live: boolean): void {
    if (this.seen.has(message.seq)) {
      // An HTTP retry returns the stored message again by design; on a socket it is a duplicate.
      if (live) this.wire.duplicateFrames++;
      return;
    }
    if (live) {
      if (message.seq < this.lastSeq) this.wire.outOfOrderFrames++;
      else if (message.seq > this.lastSeq + 1 && this.lastSeq > 0) this.wire.gaps++;
    }
    this.seen.add(message.seq);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
    this.received.push(message);
    const now = performance.now();
    if (message.role === "user" && message.clientMessageId !== undefined) {
      const sent = this.sent.get(message.clientMessageId);
      if (sent && sent.seq === undefined) {
        sent.seq = message.seq;
        sent.storedAt = now;
        this.bySeq.set(message.seq, sent);
      }
    } else if (message.role === "bot" && message.replyTo !== undefined) {
      const sent = this.bySeq.get(message.replyTo);
      if (sent && sent.answeredAt === undefined) {
        sent.answeredAt = now;
        sent.deliveryMs = Math.max(0, Date.now() - Date.parse(message.createdAt));
        this.answerWaiters.get(sent.clientMessageId)?.();
      }
    }
  }

  /**
   * POST …/messages?wait: the response carries the stored message and its replies. A 202 (not
   * answered within the wait) is asked again with the same clientMessageId, which returns the stored
   * message and waits for its replies; a failed request is sent again after a backoff.
   */
  private async post(message: SentMessage, timeoutMs: number): Promise<void> {
    const waitS = Math.max(1, Math.min(30, Math.floor(timeoutMs / 1000)));
    for (let attempt = 0; !this.closed && message.answeredAt === undefined; ) {
      try {
        const response = await fetch(`${this.target.base}/v1/conversations/${this.target.id}/messages?wait=${waitS}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.target.token}` },
          body: JSON.stringify({ text: message.text, clientMessageId: message.clientMessageId }),
        });
        const body = (await response.json()) as { message?: Message; replies?: Message[] };
        if (body.message) this.record(body.message, false);
        for (const reply of body.replies ?? []) this.record(reply, false);
        if (response.status === 200 || response.status === 202) continue;
        this.wire.refused++;
      } catch {
        this.wire.failedRequests++;
      }
      message.resent++;
      await sleep(backoff(attempt++));
    }
  }
}

export interface DeliveryCheck {
  /** Sent messages with no stored user message, or stored and never answered. */
  lost: number;
  /** Messages stored twice, or answered by more than one turn (a reply batch not contiguous, or the same response twice). */
  duplicated: number;
  /** User messages stored out of the order they were sent, or replies out of the order of the messages they answer. */
  outOfOrder: number;
  /** Replies that are the pipeline's fallback (the turn failed every attempt). */
  fallbacks: number;
}

/** Checks one conversation's stored transcript against what its client sent (in send order). */
export function checkTranscript(transcript: readonly Message[], sentInOrder: readonly string[], fallbackResponse: string): DeliveryCheck {
  const check: DeliveryCheck = { lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0 };
  const users = transcript.filter((m) => m.role === "user");
  const userSeqs: number[] = [];
  for (const clientMessageId of sentInOrder) {
    const stored = users.filter((m) => m.clientMessageId === clientMessageId);
    if (stored.length === 0) {
      check.lost++;
      continue;
    }
    if (stored.length > 1) check.duplicated++;
    userSeqs.push(stored[0]?.seq ?? 0);
  }
  if (userSeqs.some((seq, i) => i > 0 && seq < (userSeqs[i - 1] ?? 0))) check.outOfOrder++;
  let lastReplyTo = 0;
  for (const message of transcript) {
    if (message.role !== "bot" || message.replyTo === undefined) continue;
    if (message.replyTo < lastReplyTo && !message.replayed) check.outOfOrder++;
    lastReplyTo = Math.max(lastReplyTo, message.replyTo);
  }
  for (const seq of userSeqs) {
    const replies = transcript.filter((m) => m.role === "bot" && m.replyTo === seq);
    if (replies.length === 0) {
      check.lost++;
      continue;
    }
    const seqs = replies.map((m) => m.seq);
    const contiguous = seqs.every((s, i) => i === 0 || s === (seqs[i - 1] ?? 0) + 1);
    const responses = replies.map((m) => m.response ?? m.text);
    if (!contiguous || new Set(responses).size !== responses.length) check.duplicated++;
    if (replies.some((m) => m.response === fallbackResponse)) check.fallbacks++;
  }
  return check;
}
