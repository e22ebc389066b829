import type { Message, ReplyEvent } from "../../shared/schemas/index.ts";
import { formatServerSentEvent } from "../../shared/server-sent-events.ts";
import type { ReplyStreams } from "./reply-streams.ts";

/** What a waiting send's event stream needs from the conversation object. */
export interface ReplyEventsHost {
  streams: Pick<ReplyStreams, "subscribe">;
  /** The bot's replies to user message `seq`, or null when none came within `timeoutMs` (the object's `waitForReplies`). */
  waitForReplies(seq: number, timeoutMs: number): Promise<Message[] | null>;
}

/**
 * `POST …/messages?wait` asked for as `text/event-stream` (docs/streaming.md): the stored user
 * message, the frames of a reply the LLM writes meanwhile, then the bot's replies — or `timeout`
 * when the wait runs out. Bytes of server-sent events, for the gateway to send on as they come.
 */
export function replyEventStream(host: ReplyEventsHost, message: Message, timeoutMs: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let finished = false;
  let unsubscribe = (): void => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: ReplyEvent): void => {
        if (!finished) controller.enqueue(encoder.encode(formatServerSentEvent(event.type, JSON.stringify(event))));
      };
      const finish = (): void => {
        if (finished) return;
        finished = true;
        unsubscribe();
        controller.close();
      };
      send({ type: "message", message });
      unsubscribe = host.streams.subscribe(message.seq, send);
      void host.waitForReplies(message.seq, timeoutMs).then(
        (replies) => {
          send(replies === null ? { type: "timeout" } : { type: "replies", replies });
          finish();
        },
        (error: unknown) => {
          console.warn(JSON.stringify({ event: "reply_events_failed", seq: message.seq, error: String(error) }));
          finish();
        },
      );
    },
    cancel() {
      // The client went away: stop listening (the wait itself ends on its own).
      finished = true;
      unsubscribe();
    },
  });
}
