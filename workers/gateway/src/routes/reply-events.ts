/**
 * `POST …/messages?wait` answered as server-sent events (docs/streaming.md): for a client whose
 * `Accept` asks for `text/event-stream`, the conversation object's event stream is the response
 * body, sent on as it comes — the user message, a reply the LLM writes token by token, then the
 * replies (or `timeout`). Other clients get the JSON answer as before.
 */
import { EVENT_STREAM_MEDIA_TYPE } from "../../../../shared/schemas/index.ts";

/** Whether an `Accept` header lists `text/event-stream` (with a quality above 0). */
export function wantsEventStream(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((range) => {
    const [type = "", ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    if (type !== EVENT_STREAM_MEDIA_TYPE) return false;
    const quality = parameters.find((parameter) => parameter.startsWith("q="));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/** The response for an event stream: not cached, not buffered by proxies on the way. */
export function eventStreamResponse(events: ReadableStream<Uint8Array>): Response {
  return new Response(events, {
    status: 200,
    headers: {
      "Content-Type": `${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`,
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
