import { describe, expect, it } from "vitest";
import { formatServerSentEvent, ServerSentEventParser } from "./server-sent-events.ts";

describe("server-sent events", () => {
  it("read back what they write, however the text is cut into chunks", () => {
    const text = [
      formatServerSentEvent("message", JSON.stringify({ type: "message", text: "héllo 你好" })),
      formatServerSentEvent("stream_delta", JSON.stringify({ index: 0, text: "Our " })),
      formatServerSentEvent("replies", "[]"),
    ].join("");
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const parser = new ServerSentEventParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events.map((event) => event.event)).toEqual(["message", "stream_delta", "replies"]);
      expect(JSON.parse(events[0]?.data ?? "")).toEqual({ type: "message", text: "héllo 你好" });
    }
  });

  it("read an OpenAI-style stream: unnamed events, comments, CRLF split across chunks, multi-line data", () => {
    const parser = new ServerSentEventParser();
    const events = [
      ...parser.push(": keep-alive\r"),
      ...parser.push("\ndata: {\"a\":1}\r"),
      ...parser.push("\n\r\ndata: line one\ndata: line two\nid: 7\n\n"),
      ...parser.push("data: [DONE]\n"),
    ];
    expect(events).toEqual([
      { event: "message", data: '{"a":1}' },
      { event: "message", data: "line one\nline two" },
    ]);
    // The last event is complete only at its blank line.
    expect(parser.push("\n")).toEqual([{ event: "message", data: "[DONE]" }]);
  });

  it("do not count an event without data", () => {
    const parser = new ServerSentEventParser();
    expect(parser.push("event: ping\n\n:comment\n\n")).toEqual([]);
  });
});
