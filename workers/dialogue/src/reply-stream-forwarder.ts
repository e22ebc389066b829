/**
 * Forwards an LLM answer to the turn's conversation object while the model writes it
 * (docs/streaming.md), in batches — a handful of requests per reply, not one per token: the first
 * piece at once (the user sees the answer start), then batches that grow (each at least twice the
 * characters of the one before, from `firstBatchChars` up to `maxBatchChars`), at most one per
 * interval, and whatever has waited `maxWaitMs` goes anyway (a model that slows down). The eye reads
 * slower than a model writes, so later batches can be larger. One request at a time; text that
 * arrives meanwhile joins the next batch. While nobody watches (no socket, no waiting request) the
 * interval is longer; a refused batch stops the stream (the turn moved on, or the object lost it),
 * and the reply then arrives whole with the turn's result. What is still unsent when the answer
 * ends is dropped: the stored reply replaces the preview at once.
 */
import { STREAM_DELTA_MAX_CHARS, type ReplyStreamAck, type ReplyStreamUpdate } from "../../../shared/schemas/index.ts";
import type { ReplyTextSink } from "./engine/index.ts";

/** The conversation object's RPC for a batch (ConversationDurableObject.streamReply). */
export interface ReplyStreamTarget {
  streamReply(update: ReplyStreamUpdate): Promise<ReplyStreamAck>;
}

export interface ReplyStreamPacing {
  /** At most one request per interval while someone watches the conversation (ms). */
  intervalMs: number;
  /** The same while nobody does: a client that connects mid-stream still gets the rest, a little later. */
  unwatchedIntervalMs: number;
  /** The second batch waits for this many characters; each later one for twice the one before. */
  firstBatchChars: number;
  /** The most characters a batch waits for. */
  maxBatchChars: number;
  /** Text that has waited this long since the last batch goes, however short (ms). */
  maxWaitMs: number;
}

export const DEFAULT_REPLY_STREAM_PACING: ReplyStreamPacing = {
  intervalMs: 100,
  unwatchedIntervalMs: 1000,
  firstBatchChars: 24,
  maxBatchChars: 400,
  maxWaitMs: 1000,
};

export interface StreamedTurn {
  conversationId: string;
  seq: number;
  attempt: number;
}

export class ReplyStreamForwarder {
  private sent = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly target: ReplyStreamTarget,
    private readonly turn: StreamedTurn,
    private readonly pacing: ReplyStreamPacing = DEFAULT_REPLY_STREAM_PACING,
    private readonly now: () => number = Date.now,
  ) {}

  /** Requests sent to the object so far, for every stream of the turn. */
  get requests(): number {
    return this.sent;
  }

  /** A new stream for an answer about to be written. */
  open(): ReplyTextSink {
    return new StreamWriter(this.turn, this.pacing, this.now, (update) => this.send(update));
  }

  /** Waits for the requests in flight, so that none reaches the object after the turn's result. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  private send(update: ReplyStreamUpdate): Promise<ReplyStreamAck | undefined> {
    this.sent++;
    const request = this.target.streamReply(update).then(
      (ack) => ack,
      // The object could not be reached: the reply still arrives with the turn's result.
      () => undefined,
    );
    const tracked = request.then(() => undefined);
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
    return request;
  }
}

class StreamWriter implements ReplyTextSink {
  private readonly id = randomHex(8);
  private part = 0;
  private buffer = "";
  private done = false;
  private sending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSentAt = 0;
  private intervalMs: number;

  constructor(
    private readonly turn: StreamedTurn,
    private readonly pacing: ReplyStreamPacing,
    private readonly now: () => number,
    private readonly send: (update: ReplyStreamUpdate) => Promise<ReplyStreamAck | undefined>,
  ) {
    this.intervalMs = pacing.intervalMs;
  }

  write(text: string): void {
    if (this.done || text === "") return;
    this.buffer += text;
    this.schedule();
  }

  end(): void {
    this.stop();
  }

  private stop(): void {
    this.done = true;
    this.buffer = "";
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.done || this.sending || this.buffer === "") return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const wait = this.part === 0 ? 0 : this.lastSentAt + this.waitMs() - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.flush();
  }

  /** How long after the last batch the next one may go, given what is buffered. */
  private waitMs(): number {
    const { firstBatchChars, maxBatchChars, maxWaitMs } = this.pacing;
    const wanted = Math.min(maxBatchChars, firstBatchChars * 2 ** Math.max(0, this.part - 1));
    return this.buffer.length >= wanted ? this.intervalMs : Math.max(this.intervalMs, maxWaitMs);
  }

  private flush(): void {
    const cut = cutAt(this.buffer, STREAM_DELTA_MAX_CHARS);
    const text = this.buffer.slice(0, cut);
    this.buffer = this.buffer.slice(cut);
    this.sending = true;
    this.lastSentAt = this.now();
    const { conversationId, seq, attempt } = this.turn;
    const update: ReplyStreamUpdate = { v: 1, conversationId, seq, attempt, stream: this.id, part: this.part++, text };
    void this.send(update).then((ack) => {
      this.sending = false;
      if (!ack?.accepted) return this.stop();
      this.intervalMs = ack.listeners > 0 ? this.pacing.intervalMs : this.pacing.unwatchedIntervalMs;
      this.schedule();
    });
  }
}

/** Where to cut `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
