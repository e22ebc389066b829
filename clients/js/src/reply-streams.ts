import type { ServerFrame } from "./types.ts";

type StreamFrame = Extract<ServerFrame, { type: "stream_start" | "stream_delta" | "stream_end" }>;

/** A bot reply the LLM is still writing, as the app shows it (the `stream` event). */
export interface StreamingReply {
  /** The stream's id (not a message id: the reply's seq is known once it is stored). */
  id: string;
  /** The seq of the user message it answers. */
  replyTo: number;
  /** The text so far. */
  text: string;
  /**
   * True once the stream is over. `messageId` then names the stored reply that takes its place —
   * the whole answer, or the bot's fallback when the stream broke off — whose `message` event
   * follows; null when nothing does (a person took over, a newer stream replaced it): drop the preview.
   */
  done: boolean;
  messageId: string | null;
}

interface Tracked {
  id: string;
  replyTo: number;
  text: string;
  /** The next delta expected: the text holds deltas 0 … next − 1. */
  next: number;
}

export const isStreamFrame = (frame: { type: string }): frame is StreamFrame =>
  frame.type === "stream_start" || frame.type === "stream_delta" || frame.type === "stream_end";

/**
 * The replies being streamed to this client (docs/streaming.md), kept exactly once each: a
 * stream is known by its id and its deltas by their index, so the text a reconnect sends again (the
 * stream so far, then the deltas that follow) is not added twice, and a delta seen twice counts once.
 */
export class ReplyStreamTracker {
  private readonly streams = new Map<string, Tracked>();
  /** Streams the socket now open has told about: after its replay, any other has ended meanwhile. */
  private readonly announced = new Set<string>();

  /** The replies being written now. */
  get open(): StreamingReply[] {
    return [...this.streams.values()].map((stream) => view(stream, false, null));
  }

  /** A stream frame; returns the update to show, or nothing when the frame changes nothing (a duplicate). */
  accept(frame: StreamFrame): StreamingReply | undefined {
    if (frame.type === "stream_start") {
      this.announced.add(frame.id);
      const known = this.streams.get(frame.id);
      // A client that has seen as much or more keeps what it has.
      if (known && known.next >= frame.next) return undefined;
      const stream = { id: frame.id, replyTo: frame.replyTo, text: frame.text, next: frame.next };
      this.streams.set(frame.id, stream);
      return view(stream, false, null);
    }
    const stream = this.streams.get(frame.id);
    if (!stream) return undefined;
    if (frame.type === "stream_delta") {
      // Seen already, or one after a delta this client missed (the stored reply will replace the preview).
      if (frame.index !== stream.next) return undefined;
      stream.text += frame.text;
      stream.next += 1;
      return view(stream, false, null);
    }
    this.streams.delete(frame.id);
    return view(stream, true, frame.messageId);
  }

  /** A new socket is open: it tells about the streams still being written, after its replay. */
  socketOpened(): void {
    this.announced.clear();
  }

  /** The new socket's replay is over (`ready`): streams it did not tell about ended while the client was away. */
  replayDone(): StreamingReply[] {
    const ended: StreamingReply[] = [];
    for (const stream of this.streams.values()) {
      if (this.announced.has(stream.id)) continue;
      this.streams.delete(stream.id);
      ended.push(view(stream, true, null));
    }
    return ended;
  }

  /** Forgets every stream (the conversation was reset); returns them as ended, for whoever shows them. */
  clear(): StreamingReply[] {
    const ended = [...this.streams.values()].map((stream) => view(stream, true, null));
    this.streams.clear();
    this.announced.clear();
    return ended;
  }
}

const view = (stream: Tracked, done: boolean, messageId: string | null): StreamingReply => ({
  id: stream.id,
  replyTo: stream.replyTo,
  text: stream.text,
  done,
  messageId,
});
