import { describe, expect, it } from "vitest";
import { ReplyStreamForwarder, type ReplyStreamTarget } from "../src/reply-stream-forwarder.ts";
import type { ReplyStreamAck, ReplyStreamUpdate } from "../../../shared/schemas/index.ts";

const TURN = { conversationId: "c0ffee00c0ffee00c0ffee00c0ffee00", seq: 3, attempt: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The conversation object as the forwarder sees it: records each batch, answers `ack(update)` after `delayMs`. */
function recordingObject(ack: (update: ReplyStreamUpdate) => ReplyStreamAck = () => ({ accepted: true, listeners: 1 }), delayMs = 2) {
  const updates: ReplyStreamUpdate[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const target: ReplyStreamTarget = {
    async streamReply(update) {
      updates.push(update);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(delayMs);
      inFlight--;
      return ack(update);
    },
  };
  return { target, updates, mostInFlight: () => mostInFlight };
}

/** Writes `pieces` one every `everyMs`, then ends the stream. */
async function write(forwarder: ReplyStreamForwarder, pieces: string[], everyMs: number): Promise<void> {
  const sink = forwarder.open();
  for (const piece of pieces) {
    sink.write(piece);
    await sleep(everyMs);
  }
  sink.end();
  await forwarder.settle();
}

const PIECES = Array.from({ length: 40 }, (_, i) => `word${i} `);

describe("the reply stream forwarder", () => {
  it("sends the first piece at once, then one batch per interval, one request at a time, in order", async () => {
    const object = recordingObject();
    const forwarder = new ReplyStreamForwarder(object.target, TURN, { intervalMs: 60, unwatchedIntervalMs: 1000 });
    await write(forwarder, PIECES, 5);
    const { updates } = object;
    // 40 pieces over ~200+ ms: the first alone, then a batch per 60 ms — not one request per piece.
    expect(updates[0]?.text).toBe("word0 ");
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.length).toBeLessThanOrEqual(8);
    expect(forwarder.requests).toBe(updates.length);
    expect(updates.map((update) => update.part)).toEqual(updates.map((_, i) => i));
    expect(new Set(updates.map((update) => update.stream)).size).toBe(1);
    expect(updates.every((update) => update.seq === 3 && update.attempt === 1 && update.v === 1)).toBe(true);
    // What was sent is the text as written, up to where the stream ended (the rest comes with the stored reply).
    expect(PIECES.join("").startsWith(updates.map((update) => update.text).join(""))).toBe(true);
    expect(object.mostInFlight()).toBe(1);
  });

  it("sends less often while nobody watches the conversation", async () => {
    const watched = recordingObject(() => ({ accepted: true, listeners: 2 }));
    await write(new ReplyStreamForwarder(watched.target, TURN, { intervalMs: 40, unwatchedIntervalMs: 400 }), PIECES, 5);
    const unwatched = recordingObject(() => ({ accepted: true, listeners: 0 }));
    await write(new ReplyStreamForwarder(unwatched.target, TURN, { intervalMs: 40, unwatchedIntervalMs: 400 }), PIECES, 5);
    expect(unwatched.updates.length).toBeLessThan(watched.updates.length);
    expect(unwatched.updates.length).toBeLessThanOrEqual(2);
  });

  it("stops a stream the object refuses, and a stream whose object cannot be reached", async () => {
    const refusing = recordingObject(() => ({ accepted: false, listeners: 0 }));
    await write(new ReplyStreamForwarder(refusing.target, TURN, { intervalMs: 10, unwatchedIntervalMs: 10 }), PIECES, 2);
    expect(refusing.updates).toHaveLength(1);

    let calls = 0;
    const unreachable: ReplyStreamTarget = {
      streamReply: () => {
        calls++;
        return Promise.reject(new Error("network connection lost"));
      },
    };
    const forwarder = new ReplyStreamForwarder(unreachable, TURN, { intervalMs: 10, unwatchedIntervalMs: 10 });
    await write(forwarder, PIECES, 2);
    expect(calls).toBe(1);
  });

  it("gives each answer of a turn its own stream, and settles only once the last request is answered", async () => {
    const slow = recordingObject(undefined, 150);
    const forwarder = new ReplyStreamForwarder(slow.target, TURN, { intervalMs: 10, unwatchedIntervalMs: 10 });
    const first = forwarder.open();
    first.write("one ");
    first.end();
    const second = forwarder.open();
    second.write("two ");
    second.end();
    const started = Date.now();
    await forwarder.settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(slow.updates.map((update) => [update.part, update.text])).toEqual([
      [0, "one "],
      [0, "two "],
    ]);
    expect(slow.updates[0]?.stream).not.toBe(slow.updates[1]?.stream);
  });

  it("cuts a batch at the delta limit without splitting a character", async () => {
    const object = recordingObject(undefined, 30);
    const forwarder = new ReplyStreamForwarder(object.target, TURN, { intervalMs: 0, unwatchedIntervalMs: 0 });
    const sink = forwarder.open();
    sink.write("a");
    // While the first batch is in flight, more than one delta's worth arrives, with an emoji on the limit.
    sink.write(`${"b".repeat(7999)}😀${"c".repeat(10)}`);
    await sleep(120);
    sink.end();
    await forwarder.settle();
    const texts = object.updates.map((update) => update.text);
    expect(texts).toEqual(["a", "b".repeat(7999), `😀${"c".repeat(10)}`]);
  });
});
