/**
 * Server-sent events (the `text/event-stream` format of the HTML standard), both ways and with no
 * dependency, so the Workers, the conversation object and the client SDK share it: the dialogue
 * Worker reads an LLM's stream with the parser, the object writes a waiting send's events with
 * `formatServerSentEvent`, and the SDK reads them back.
 */

export interface ServerSentEvent {
  /** The `event:` field; "message" when the event has none. */
  event: string;
  /** The `data:` lines, joined with line feeds. */
  data: string;
}

/** One event: its name and its data, which must not hold a line break (JSON.stringify never writes one). */
export function formatServerSentEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/**
 * Reads an event stream chunk by chunk: `push` returns the events that the text so far completes.
 * Lines end with LF, CRLF or CR (a CR at the end of a chunk may be half of a CRLF); comment lines
 * (`:`) and fields other than `event` and `data` are skipped; an event without data is not one.
 */
export class ServerSentEventParser {
  private pending = "";
  private skipLineFeed = false;
  private event = "";
  private data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let text = this.pending + chunk;
    this.pending = "";
    if (this.skipLineFeed && text.startsWith("\n")) text = text.slice(1);
    this.skipLineFeed = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char !== "\n" && char !== "\r") continue;
      const line = text.slice(start, i);
      if (char === "\r") {
        if (i + 1 === text.length) this.skipLineFeed = true;
        else if (text[i + 1] === "\n") i++;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.pending = text.slice(start);
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") {
      const event = this.data.length > 0 ? { event: this.event || "message", data: this.data.join("\n") } : undefined;
      this.event = "";
      this.data = [];
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return undefined;
  }
}
