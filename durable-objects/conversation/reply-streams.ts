import type { Message, ReplyStreamAck, ReplyStreamUpdate, StreamFrame, StreamStartFrame } from "../../shared/schemas/index.ts";

/**
 * The most text one stream holds (an LLM answer is far shorter; a stored reply is at most 8,000
 * characters): a writer past it is refused, and the reply arrives whole with the turn's result.
 */
const MAX_STREAM_CHARS = 16_000;

/** What the streams need from the object that hosts them (ConversationDurableObject). */
export interface ReplyStreamsHost {
  conversationId(): string;
  /** Whether turn `seq` is in flight with dispatch `attempt`: only that one's answer may stream. */
  inFlight(seq: number, attempt: number): boolean;
  /** Pushes a frame to every socket of the conversation; returns how many there are. */
  broadcast(frame: StreamFrame): number;
}

interface OpenStream {
  id: string;
  replyTo: number;
  /** The dialogue Worker's id for the writer (ReplyStreamUpdateSchema `stream`). */
  writer: string;
  /** The next delta's index: the stream holds deltas 0 … next − 1, joined in `text`. */
  next: number;
  text: string;
}

type Listener = (frame: StreamFrame) => void;

/**
 * Replies the LLM is writing (docs/streaming.md), in memory only: the dialogue Worker's batches are
 * numbered and taken in order, fanned out to every socket and to the event-stream requests waiting
 * for that turn, and kept so that a client connecting mid-stream gets the text so far first. The
 * stream ends when its turn closes (the turn rules' `deliverReplies`), named after the reply that
 * replaces it. Nothing is stored: the transcript gets the whole reply once, from the turn's result,
 * and a turn that streams nothing costs a lookup in an empty map.
 */
export class ReplyStreams {
  private readonly open = new Map<number, OpenStream>();
  private readonly listeners = new Map<number, Set<Listener>>();

  constructor(private readonly host: ReplyStreamsHost) {}

  /** One batch from the dialogue Worker: applied and fanned out, or refused (the writer stops). */
  update(update: ReplyStreamUpdate): ReplyStreamAck {
    const refused: ReplyStreamAck = { accepted: false, listeners: 0 };
    if (!this.host.inFlight(update.seq, update.attempt)) return refused;
    let stream = this.open.get(update.seq);
    if (stream && stream.writer !== update.stream) {
      // Another writer for the same turn (a duplicated delivery, a retry): the newest one streams.
      if (update.part !== 0) return refused;
      this.close(stream, null);
      stream = undefined;
    }
    if (!stream) {
      // A batch after the first of a stream this object does not know: it restarted and lost it.
      if (update.part !== 0) return refused;
      stream = { id: `${this.host.conversationId()}:${update.seq}:${randomHex(4)}`, replyTo: update.seq, writer: update.stream, next: 0, text: "" };
      this.open.set(update.seq, stream);
      this.emit(stream.replyTo, { type: "stream_start", id: stream.id, replyTo: stream.replyTo, text: "", next: 0 });
    }
    if (update.part !== stream.next || stream.text.length + update.text.length > MAX_STREAM_CHARS) return refused;
    const frame: StreamFrame = { type: "stream_delta", id: stream.id, index: stream.next, text: update.text };
    stream.text += update.text;
    stream.next += 1;
    return { accepted: true, listeners: this.emit(stream.replyTo, frame) };
  }

  /** Turn `seq` was closed with `replies` ([] when held): its stream ends, replaced by the last of them. */
  end(seq: number, replies: readonly Message[]): void {
    const stream = this.open.get(seq);
    if (stream) this.close(stream, replies.at(-1)?.id ?? null);
  }

  /** What a socket opened now is told after its replay: every stream so far. */
  snapshot(): StreamStartFrame[] {
    return [...this.open.values()].map(startFrame);
  }

  /**
   * An event-stream request waiting for turn `seq`: the stream so far at once, if there is one,
   * then every frame of that turn's streams. Returns the function that stops listening.
   */
  subscribe(seq: number, listener: Listener): () => void {
    const stream = this.open.get(seq);
    if (stream) listener(startFrame(stream));
    const listeners = this.listeners.get(seq) ?? new Set<Listener>();
    this.listeners.set(seq, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(seq) === listeners) this.listeners.delete(seq);
    };
  }

  private close(stream: OpenStream, messageId: string | null): void {
    this.open.delete(stream.replyTo);
    this.emit(stream.replyTo, { type: "stream_end", id: stream.id, replyTo: stream.replyTo, messageId });
  }

  /** Sends a frame to every socket and to the turn's waiting requests; returns how many got it. */
  private emit(seq: number, frame: StreamFrame): number {
    const sockets = this.host.broadcast(frame);
    const listeners = this.listeners.get(seq) ?? new Set<Listener>();
    for (const listener of listeners) listener(frame);
    return sockets + listeners.size;
  }
}

const startFrame = (stream: OpenStream): StreamStartFrame => ({ type: "stream_start", id: stream.id, replyTo: stream.replyTo, text: stream.text, next: stream.next });

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
