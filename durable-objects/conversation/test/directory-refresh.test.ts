// When a conversation's directory entry is sent: every change at once, bot replies at most once per
// refresh interval, and nothing left behind (the alarm catches an entry up).
import { describe, expect, it } from "vitest";
import { DirectoryRefresh } from "../directory-refresh.ts";

/** A conversation whose transcript grows by one message per reply; a sent entry lists its last. */
function setup(refreshMs = 10_000) {
  const state = { now: 1_000_000, sent: 0, lastSeq: 1, listedSeq: 0 };
  const refresh = new DirectoryRefresh(
    {
      publish: () => {
        state.sent++;
        state.listedSeq = state.lastSeq;
      },
      behind: () => state.listedSeq < state.lastSeq,
      now: () => state.now,
    },
    refreshMs,
  );
  const reply = () => {
    state.lastSeq += 2; // the user's message and the bot's reply
    refresh.afterBotReply();
  };
  return { state, refresh, reply };
}

describe("DirectoryRefresh", () => {
  it("sends the first reply at once, holds the burst's next ones, and the alarm sends the last", () => {
    const { state, refresh, reply } = setup();
    reply();
    expect(state.sent).toBe(1);
    for (let i = 0; i < 4; i++) {
      state.now += 2_000;
      reply();
    }
    expect(state.sent).toBe(1);
    expect(state.listedSeq).toBeLessThan(state.lastSeq);
    refresh.onAlarm();
    expect(state.sent).toBe(2);
    expect(state.listedSeq).toBe(state.lastSeq);
    refresh.onAlarm();
    expect(state.sent).toBe(2); // nothing left to catch up
  });

  it("sends a reply again once the interval has passed", () => {
    const { state, reply } = setup();
    reply();
    state.now += 10_000;
    reply();
    expect(state.sent).toBe(2);
    expect(state.listedSeq).toBe(state.lastSeq);
  });

  it("sends changes the inbox acts on at once, which also catches the entry up", () => {
    const { state, refresh, reply } = setup();
    reply();
    state.now += 1_000;
    reply();
    expect(state.sent).toBe(1);
    refresh.sendNow(); // e.g. handed off
    expect(state.sent).toBe(2);
    expect(state.listedSeq).toBe(state.lastSeq);
  });

  it("a fresh object (after eviction) catches up an entry its predecessor left behind, and sends its first reply at once", () => {
    const { state, refresh } = setup();
    state.lastSeq = 9;
    state.listedSeq = 5; // stored by the object before it was evicted
    refresh.onAlarm();
    expect(state.sent).toBe(1);
    state.lastSeq += 2;
    refresh.afterBotReply();
    expect(state.sent).toBe(2);
  });
});
