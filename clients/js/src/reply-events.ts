import { ServerSentEventParser } from "../../../shared/server-sent-events.ts";
import type { Message, ReplyEvent } from "./types.ts";

/** What a waiting send's event stream ended with: the message and, unless the wait ran out, the replies. */
export interface EventStreamAnswer {
  message: Message;
  replies?: Message[];
}

const REPLY_EVENT_TYPES = new Set<string>(["message", "stream_start", "stream_delta", "stream_end", "replies", "timeout"]);

/**
 * Reads `POST …/messages?wait` answered as server-sent events (docs/streaming.md), handing each
 * event to `onEvent` as it comes. A platform whose fetch cannot stream a body (older React Native)
 * gets them all at the end. Null when the stream ended without the user message.
 */
export async function readReplyEvents(response: Response, onEvent: (event: ReplyEvent) => void): Promise<EventStreamAnswer | null> {
  const parser = new ServerSentEventParser();
  let message: Message | undefined;
  let replies: Message[] | undefined;
  const take = (text: string): void => {
    for (const { event, data } of parser.push(text)) {
      if (!REPLY_EVENT_TYPES.has(event)) continue; // a newer server's event this version does not know
      let parsed: ReplyEvent;
      try {
        parsed = JSON.parse(data) as ReplyEvent;
      } catch {
        continue;
      }
      if (parsed.type === "message") message = parsed.message;
      else if (parsed.type === "replies") replies = parsed.replies;
      onEvent(parsed);
    }
  };
  const body = response.body;
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      take(decoder.decode(read.value, { stream: true }));
    }
  } else {
    take(await response.text());
  }
  take("\n\n");
  if (!message) return null;
  return replies ? { message, replies } : { message };
}
