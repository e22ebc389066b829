import { describe, expect, it } from "vitest";
import { MessageLog } from "./message-log.ts";
import type { Message } from "./types.ts";

const message = (seq: number): Message => ({
  id: `m${seq}`,
  seq,
  role: seq % 2 ? "user" : "bot",
  text: `message ${seq}`,
  createdAt: new Date(0).toISOString(),
});

describe("MessageLog", () => {
  it("delivers each message once, in seq order, whatever order and repeats they arrive in", () => {
    const log = new MessageLog();
    expect(log.accept([message(1), message(2)]).delivered.map((m) => m.seq)).toEqual([1, 2]);
    const replay = log.accept([message(1), message(2), message(3)]);
    expect(replay.delivered.map((m) => m.seq)).toEqual([3]);
    expect(replay.duplicates).toBe(2);
    expect(log.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("holds a message that arrives ahead of a gap and asks for what is missing", () => {
    const log = new MessageLog();
    log.accept([message(1)]);
    const ahead = log.accept([message(3)]);
    expect(ahead.delivered).toEqual([]);
    expect(ahead.missingAfter).toBe(1);
    const filled = log.accept([message(2), message(3)]);
    expect(filled.delivered.map((m) => m.seq)).toEqual([2, 3]);
    expect(filled.missingAfter).toBeNull();
    expect(filled.duplicates).toBe(1);
  });
});
