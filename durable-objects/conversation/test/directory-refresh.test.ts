// When a conversation's directory entry is sent: every change at once, bot replies at most once per
// refresh interval.
import { describe, expect, it } from "vitest";
import { DirectoryRefresh } from "../directory-refresh.ts";

function setup(refreshMs = 10_000) {
  const state = { now: 1_000_000, sent: 0 };
  const refresh = new DirectoryRefresh({ publish: () => void state.sent++, now: () => state.now }, refreshMs);
  return { state, refresh };
}

describe("DirectoryRefresh", () => {
  it("sends the first reply at once and holds the burst's next ones until the interval has passed", () => {
    const { state, refresh } = setup();
    refresh.afterBotReply();
    expect(state.sent).toBe(1);
    for (let i = 0; i < 4; i++) {
      state.now += 2_000;
      refresh.afterBotReply();
    }
    expect(state.sent).toBe(1);
    state.now += 2_000;
    refresh.afterBotReply();
    expect(state.sent).toBe(2);
  });

  it("sends changes the inbox acts on at once, whatever the interval", () => {
    const { state, refresh } = setup();
    refresh.afterBotReply();
    state.now += 1_000;
    refresh.sendNow(); // e.g. handed off
    expect(state.sent).toBe(2);
  });

  it("sends a fresh object's first reply at once (it does not know when its predecessor last sent)", () => {
    const { state, refresh } = setup();
    refresh.afterBotReply();
    expect(state.sent).toBe(1);
  });
});
