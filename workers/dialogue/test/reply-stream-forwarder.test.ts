import { describe, expect, it } from "vitest";
import { ReplyStreamForwarder, type ReplyStreamPacing, type ReplyStreamTarget } from "../src/reply-stream-forwarder.ts";
import type { ReplyStreamAck, ReplyStreamUpdate } from "../../../shared/schemas/index.ts";

const TURN = { conversationId: "c0ffee00c0ffee00c0ffee00c0ffee00", seq: 3, attempt: 1 };
/** Every batch as soon as the interval allows, whatever its size. */
const byTime = (intervalMs: number, unwatchedIntervalMs = 1000): ReplyStreamPacing => ({ intervalMs, unwatchedIntervalMs, firstBatchChars: 1, maxBatchChars: 1, maxWaitMs: 0 });
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
    const forwarder = new ReplyStreamForwarder(object.target, TURN, byTime(60));
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

  it("makes later batches larger: a long answer is a handful of requests however fast the model writes", async () => {
    const object = recordingObject();
    const pacing: ReplyStreamPacing = { intervalMs: 10, unwatchedIntervalMs: 1000, firstBatchChars: 24, maxBatchChars: 400, maxWaitMs: 1000 };
    // 300 tokens of ~4 characters, one every 2 ms: 1,200 characters.
    await write(new ReplyStreamForwarder(object.target, TURN, pacing), Array.from({ length: 300 }, (_, i) => `w${String(i % 100).padStart(2, "0")} `), 2);
    const sizes = object.updates.map((update) => update.text.length);
    expect(sizes[0]).toBe(4);
    for (const [i, size] of sizes.slice(1).entries()) expect(size).toBeGreaterThanOrEqual(Math.min(400, 24 * 2 ** i));
    expect(sizes.length).toBeLessThanOrEqual(9);
  });

  it("sends a short batch once it has waited long enough (a model that slows down)", async () => {
    const object = recordingObject();
    const pacing: ReplyStreamPacing = { intervalMs: 10, unwatchedIntervalMs: 1000, firstBatchChars: 400, maxBatchChars: 400, maxWaitMs: 80 };
    await write(new ReplyStreamForwarder(object.target, TURN, pacing), ["One ", "two ", "three ", "four "], 50);
    // "two " goes 80 ms after "One ", though far short of 400 characters; "three four " 80 ms later.
    expect(object.updates.map((update) => update.text)).toEqual(["One ", "two ", "three four "]);
  });

  it("sends less often while nobody watches the conversation", async () => {
    const watched = recordingObject(() => ({ accepted: true, listeners: 2 }));
    await write(new ReplyStreamForwarder(watched.target, TURN, byTime(40, 400)), PIECES, 5);
    const unwatched = recordingObject(() => ({ accepted: true, listeners: 0 }));
    await write(new ReplyStreamForwarder(unwatched.target, TURN, byTime(40, 400)), PIECES, 5);
    expect(unwatched.updates.length).toBeLessThan(watched.updates.length);
    expect(unwatched.updates.length).toBeLessThanOrEqual(2);
  });

  it("stops a stream the object refuses, and a stream whose object cannot be reached", async () => {
    const refusing = recordingObject(() => ({ accepted: false, listeners: 0 }));
    await write(new ReplyStreamForwarder(refusing.target, TURN, byTime(10, 10)), PIECES, 2);
    expect(refusing.updates).toHaveLength(1);

    let calls = 0;
    const unreachable: ReplyStreamTarget = {
      streamReply: () => {
        calls++;
        return Promise.reject(new Error("network connection lost"));
      },
    };
    const forwarder = new ReplyStreamForwarder(unreachable, TURN, byTime(10, 10));
    await write(forwarder, PIECES, 2);
    expect(calls).toBe(1);
  });

  it("gives each answer of a turn its own stream, and settles only once the last request is answered", async () => {
    const slow = recordingObject(undefined, 150);
    const forwarder = new ReplyStreamForwarder(slow.target, TURN, byTime(10, 10));
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
    const forwarder = new ReplyStreamForwarder(object.target, TURN, byTime(0, 0));
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
