import { describe, expect, it } from "vitest";
import { ReplyStreamTracker } from "./reply-streams.ts";

const ID = `${"a".repeat(32)}:3:0badf00d`;
const start = (text = "", next = 0) => ({ type: "stream_start" as const, id: ID, replyTo: 3, text, next });
const delta = (index: number, text: string) => ({ type: "stream_delta" as const, id: ID, index, text });

describe("the SDK's reply streams", () => {
  it("grow the text delta by delta, and end naming the stored reply", () => {
    const tracker = new ReplyStreamTracker();
    expect(tracker.accept(start())).toMatchObject({ text: "", done: false });
    expect(tracker.accept(delta(0, "Our "))?.text).toBe("Our ");
    expect(tracker.accept(delta(1, "team "))?.text).toBe("Our team ");
    expect(tracker.open).toEqual([{ id: ID, replyTo: 3, text: "Our team ", done: false, messageId: null }]);
    expect(tracker.accept({ type: "stream_end", id: ID, replyTo: 3, messageId: "c:5" })).toEqual({ id: ID, replyTo: 3, text: "Our team ", done: true, messageId: "c:5" });
    expect(tracker.open).toEqual([]);
  });

  it("add nothing twice after a reconnect: the stream so far, then the deltas after it", () => {
    const tracker = new ReplyStreamTracker();
    tracker.accept(start());
    tracker.accept(delta(0, "Our "));
    tracker.accept(delta(1, "team "));
    // The socket dropped while deltas 2 and 3 were sent; the new one sends the text so far, then delta 4.
    tracker.socketOpened();
    expect(tracker.accept(start("Our team can ", 4))?.text).toBe("Our team can ");
    expect(tracker.accept(delta(3, "can "))).toBeUndefined();
    expect(tracker.accept(delta(4, "help."))?.text).toBe("Our team can help.");
    expect(tracker.accept(delta(4, "help."))).toBeUndefined();
    // A snapshot behind what the client has is ignored.
    expect(tracker.accept(start("Our ", 1))).toBeUndefined();
    expect(tracker.replayDone()).toEqual([]);
    expect(tracker.open[0]?.text).toBe("Our team can help.");
  });

  it("skip a delta after one the client missed, and ignore deltas of a stream it never saw start", () => {
    const tracker = new ReplyStreamTracker();
    tracker.accept(start());
    tracker.accept(delta(0, "Our "));
    expect(tracker.accept(delta(2, "can "))).toBeUndefined();
    expect(tracker.open[0]?.text).toBe("Our ");
    expect(tracker.accept({ ...delta(0, "x"), id: `${"b".repeat(32)}:9:00000000` })).toBeUndefined();
  });

  it("end, with nothing in their place, the streams a new socket no longer tells about", () => {
    const tracker = new ReplyStreamTracker();
    tracker.accept(start());
    tracker.accept(delta(0, "Our "));
    tracker.socketOpened();
    expect(tracker.replayDone()).toEqual([{ id: ID, replyTo: 3, text: "Our ", done: true, messageId: null }]);
    expect(tracker.open).toEqual([]);
  });
});
