// The turn rules (turn-scheduler.ts) on the real conversation Durable Object in workerd: real
// SQLite storage, the real intent queue binding. The test plays the intent and dialogue Workers,
// moves the clock instead of waiting, and runs the watchdog when its timer would fire.
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import compiledBots from "../../../generated/bots.json";
import { ConversationDurableObject } from "../ConversationDurableObject.ts";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { env } from "cloudflare:workers";
import {
  dialogueResult,
  freezeClock,
  newConversation,
  recordIntentQueue,
  say,
  transcript,
  type TestConversation, OPERATOR } from "./conversation-fixture.ts";

const { TURN_TIMEOUT_MS, MAX_TURN_ATTEMPTS } = gatewayConfig(env);
const PLATFORM_FALLBACK = "stratus_pipeline_fallback";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs the object's watchdog, as its timer does when it fires. */
const runWatchdog = (conversation: TestConversation) => runInDurableObject(conversation.stub, (instance) => instance.alarm());
const watchdogDueAt = (conversation: TestConversation) => runInDurableObject(conversation.stub, (instance) => instance.watchdogDueAt());
const storedAlarm = (conversation: TestConversation) => runInDurableObject(conversation.stub, (_instance, state) => state.storage.getAlarm());

/** Runs the watchdog once the turn in flight is overdue. */
async function overdue(conversation: TestConversation, clock: { advance(ms: number): void }): Promise<void> {
  clock.advance(TURN_TIMEOUT_MS);
  await runWatchdog(conversation);
}

const botReplies = async (conversation: TestConversation, seq: number) =>
  (await transcript(conversation)).filter((message) => message.role === "bot" && message.replyTo === seq);

describe("dispatch", () => {
  it("sends one turn at a time, in order, each with the state the previous result left", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const first = await say(conversation, "hello");
    const second = await say(conversation, "where is my order");
    expect(queue.sent(conversation.id).map((turn) => [turn.seq, turn.attempt, turn.text])).toEqual([[first.seq, 1, "hello"]]);

    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    const result = dialogueResult(turn);
    expect((await conversation.stub.applyDialogueResult(result)).applied).toBe(true);
    const sent = queue.sent(conversation.id);
    expect(sent.map((t) => [t.seq, t.attempt])).toEqual([
      [first.seq, 1],
      [second.seq, 1],
    ]);
    expect(sent[1]?.state).toEqual(result.state);
    expect((await botReplies(conversation, first.seq)).map((m) => m.text)).toEqual(['answer to "hello"']);
  });

  it("answers a ?wait request with the replies of its turn", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    const waiting = conversation.stub.waitForReplies(message.seq, 10_000);
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    await conversation.stub.applyDialogueResult(dialogueResult(turn));
    expect((await waiting)?.map((m) => m.text)).toEqual(['answer to "hello"']);
  });
});

describe("watchdog", () => {
  it("re-dispatches an overdue turn with attempt + 1, and answers with the fallback after MAX_TURN_ATTEMPTS", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");

    // Armed for the turn's deadline as a timer, not a stored alarm; run early, it sends nothing.
    expect(await watchdogDueAt(conversation)).toBe(Date.now() + TURN_TIMEOUT_MS);
    expect(await storedAlarm(conversation)).toBeNull();
    await runWatchdog(conversation);
    expect(queue.sent(conversation.id)).toHaveLength(1);
    expect(await watchdogDueAt(conversation)).toBe(Date.now() + TURN_TIMEOUT_MS);

    for (let attempt = 2; attempt <= MAX_TURN_ATTEMPTS; attempt++) {
      await overdue(conversation, clock);
      expect(queue.sent(conversation.id).map((turn) => turn.attempt)).toEqual(Array.from({ length: attempt }, (_, i) => i + 1));
    }
    await overdue(conversation, clock);
    expect(queue.sent(conversation.id)).toHaveLength(MAX_TURN_ATTEMPTS);
    const replies = await botReplies(conversation, message.seq);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ response: PLATFORM_FALLBACK });
    expect(replies[0]?.text).toMatch(/sorry/i);
    expect(await conversation.stub.waitForReplies(message.seq, 10_000)).toEqual(replies);
    // Nothing is in flight any more: the watchdog is disarmed, and running it does nothing.
    expect(await watchdogDueAt(conversation)).toBeNull();
    clock.advance(TURN_TIMEOUT_MS);
    await runWatchdog(conversation);
    expect(queue.sent(conversation.id)).toHaveLength(MAX_TURN_ATTEMPTS);
  });

  it("costs an answered turn no alarm: the timer is disarmed when the reply is stored, and nothing is stored for it", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await say(conversation, "hello");
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    expect(await watchdogDueAt(conversation)).not.toBeNull();
    await conversation.stub.applyDialogueResult(dialogueResult(turn));
    expect(await watchdogDueAt(conversation)).toBeNull();
    expect(await storedAlarm(conversation)).toBeNull();
  });

  it("watches a turn still in flight when the object starts again (restarted mid-turn), and sends it again when it is overdue", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await say(conversation, "hello");
    const dispatchedAt = Date.now();
    // A new instance over the same storage, as after a crash or a deploy (its timer gone with the old one).
    const restarted = await runInDurableObject(conversation.stub, (_instance, state) => {
      const fresh = new ConversationDurableObject(state, env);
      return { due: fresh.watchdogDueAt(), fire: () => fresh.alarm() };
    });
    expect(restarted.due).toBe(dispatchedAt + TURN_TIMEOUT_MS);
    clock.advance(TURN_TIMEOUT_MS);
    await runInDurableObject(conversation.stub, () => restarted.fire());
    expect(queue.sent(conversation.id).map((sent) => sent.attempt)).toEqual([1, 2]);
  });

  it("dispatches the next message once the fallback has answered the one before", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const failing = await say(conversation, "hello");
    const next = await say(conversation, "thanks");
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) await overdue(conversation, clock);
    expect(queue.sent(conversation.id).map((turn) => [turn.seq, turn.attempt]).at(-1)).toEqual([next.seq, 1]);
    const fallback = await botReplies(conversation, failing.seq);
    expect(fallback.map((m) => m.response)).toEqual([PLATFORM_FALLBACK]);
  });
});

describe("results", () => {
  it("applies a result delivered twice only once", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await say(conversation, "thanks");
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    const result = dialogueResult(turn);
    expect((await conversation.stub.applyDialogueResult(result)).applied).toBe(true);
    expect((await conversation.stub.applyDialogueResult(result)).applied).toBe(false);
    expect(await botReplies(conversation, message.seq)).toHaveLength(1);
    // The next turn went out once, not once per delivery.
    expect(queue.sent(conversation.id).map((t) => t.seq)).toEqual([message.seq, message.seq + 1]);
  });

  it("applies the first result when the watchdog sent the turn again, and drops the later attempt's", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await overdue(conversation, clock);
    const [first, second] = queue.sent(conversation.id);
    if (!first || !second) throw new Error("expected two dispatches");
    expect(second.attempt).toBe(2);
    expect((await conversation.stub.applyDialogueResult(dialogueResult(first))).applied).toBe(true);
    expect(await conversation.stub.applyDialogueResult(dialogueResult(second, { replies: [{ text: "again" }] }))).toEqual({
      applied: false,
    });
    expect((await botReplies(conversation, message.seq)).map((m) => m.text)).toEqual(['answer to "hello"']);
  });
});

describe("pipeline fallback text", () => {
  it("is the bot's own fallback.unavailable response where the bot defines one, in the conversation's locale", async () => {
    const clock = freezeClock();
    recordIntentQueue();
    const conversation = await newConversation({ bot: "health", locale: "zh" });
    const message = await say(conversation, "头痛怎么办");
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) await overdue(conversation, clock);
    const health = compiledBots.bots.health as { fallback: { unavailable: string }; responses: Record<string, { zh: { text: string[] } }> };
    const own = health.responses[health.fallback.unavailable];
    const [reply] = await botReplies(conversation, message.seq);
    expect(reply).toMatchObject({ response: health.fallback.unavailable });
    expect(own?.zh.text).toContain(reply?.text);
  });

  it("is the platform's sentence for a bot that defines none, in the language the user wrote", async () => {
    const clock = freezeClock();
    recordIntentQueue();
    const conversation = await newConversation({ bot: "ecommerce", locale: null });
    const message = await say(conversation, "我的订单到哪了");
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) await overdue(conversation, clock);
    const [reply] = await botReplies(conversation, message.seq);
    expect(reply).toMatchObject({ response: PLATFORM_FALLBACK });
    expect(reply?.text).toMatch(/抱歉/);
  });
});

describe("handoff", () => {
  it("drops a result that arrives after an operator took the conversation, and answers waiting requests with no replies", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    const waiting = conversation.stub.waitForReplies(message.seq, 10_000);
    expect(await conversation.stub.setHandoff(true)).toEqual({ ok: true, handedOff: true });
    expect(await waiting).toEqual([]);

    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    expect((await conversation.stub.applyDialogueResult(dialogueResult(turn))).applied).toBe(false);
    expect(await botReplies(conversation, message.seq)).toEqual([]);
    const summary = await conversation.stub.summary(OPERATOR);
    expect(summary.ok && summary.conversation.state.lastIntent).toBeNull();
  });

  it("neither re-dispatches nor falls back for a turn held by the handoff", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await conversation.stub.setHandoff(true);
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) {
      clock.advance(TURN_TIMEOUT_MS);
      await runWatchdog(conversation);
      await conversation.stub.reportDeadLetter(message.seq, attempt, "intent");
    }
    expect(queue.sent(conversation.id)).toHaveLength(1);
    expect(await botReplies(conversation, message.seq)).toEqual([]);
  });

  it("holds messages written during the handoff for good; after release the bot answers new ones", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await conversation.stub.setHandoff(true);
    const forTheHuman = await say(conversation, "is someone there?");
    expect(await conversation.stub.waitForReplies(forTheHuman.seq, 10_000)).toEqual([]);
    expect(queue.sent(conversation.id)).toEqual([]);

    await conversation.stub.setHandoff(false);
    expect(queue.sent(conversation.id)).toEqual([]);
    const afterRelease = await say(conversation, "hello again");
    expect(queue.sent(conversation.id).map((turn) => turn.seq)).toEqual([afterRelease.seq]);
  });

  it("holds the turns queued behind a result that hands the conversation to a human", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const asking = await say(conversation, "I want a human");
    const queued = await say(conversation, "hello?");
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    const handoff = dialogueResult(turn, { handoff: true, replies: [{ text: "Connecting you.", response: "utter_handoff" }] });
    expect((await conversation.stub.applyDialogueResult(handoff)).applied).toBe(true);
    expect((await botReplies(conversation, asking.seq)).map((m) => m.response)).toEqual(["utter_handoff"]);
    expect(await conversation.stub.waitForReplies(queued.seq, 10_000)).toEqual([]);
    expect(queue.sent(conversation.id).map((t) => t.seq)).toEqual([asking.seq]);
    const summary = await conversation.stub.summary(OPERATOR);
    expect(summary.ok && summary.conversation.handedOff).toBe(true);
  });
});

describe("replay of a dead-lettered turn", () => {
  /** Dead-letters every attempt of the turn in flight until the user has the fallback. */
  async function deadLetterToFallback(conversation: TestConversation, seq: number): Promise<void> {
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) await conversation.stub.reportDeadLetter(seq, attempt, "dialogue");
    expect((await botReplies(conversation, seq)).map((m) => m.response)).toEqual([PLATFORM_FALLBACK]);
  }

  it("sends the turn again with a fresh budget and stores its answer after the fallback, marked replayed, once", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await deadLetterToFallback(conversation, message.seq);
    expect(await conversation.stub.deadLetterStates([message.seq])).toMatchObject({ [message.seq]: { turn: "fallback", replayable: true } });

    expect(await conversation.stub.replayTurn(message.seq)).toMatchObject({ ok: true, state: { turn: "replaying", replayable: false } });
    const replay = queue.sent(conversation.id).at(-1);
    if (!replay) throw new Error("nothing dispatched");
    expect(replay).toMatchObject({ seq: message.seq, attempt: MAX_TURN_ATTEMPTS + 1, text: "hello" });
    expect((await conversation.stub.applyDialogueResult(dialogueResult(replay))).applied).toBe(true);
    expect((await conversation.stub.applyDialogueResult(dialogueResult(replay))).applied).toBe(false);

    const replies = await botReplies(conversation, message.seq);
    expect(replies.map((m) => [m.response, m.replayed])).toEqual([
      [PLATFORM_FALLBACK, undefined],
      ["utter_answer", true],
    ]);
    expect(await conversation.stub.deadLetterStates([message.seq])).toMatchObject({ [message.seq]: { turn: "replayed", replayable: false } });
    const again = await conversation.stub.replayTurn(message.seq);
    expect(again).toMatchObject({ ok: false, error: { code: "not_replayable" } });
    expect(queue.sent(conversation.id)).toHaveLength(MAX_TURN_ATTEMPTS + 1);
  });

  it("is refused for a turn still in flight, one the bot answered, and one held for a human", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const inFlight = await say(conversation, "hello");
    expect(await conversation.stub.replayTurn(inFlight.seq)).toMatchObject({ ok: false, error: { code: "not_replayable", message: /still being retried/ } });
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    await conversation.stub.applyDialogueResult(dialogueResult(turn));
    expect(await conversation.stub.replayTurn(inFlight.seq)).toMatchObject({ ok: false, error: { message: /bot answered/ } });

    const held = await say(conversation, "where is my order");
    await conversation.stub.setHandoff(true);
    expect(await conversation.stub.replayTurn(held.seq)).toMatchObject({ ok: false, error: { message: /held/ } });
    expect(await conversation.stub.deadLetterStates([inFlight.seq, held.seq, 99])).toMatchObject({
      [inFlight.seq]: { turn: "answered", replayable: false },
      [held.seq]: { turn: "held", replayable: false },
      99: { turn: "unknown", replayable: false },
    });
  });

  it("waits while a human has the conversation, and runs after release", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await deadLetterToFallback(conversation, message.seq);
    await conversation.stub.setHandoff(true);
    expect(await conversation.stub.replayTurn(message.seq)).toMatchObject({ ok: false, error: { code: "not_replayable", message: /release it/ } });
    expect(await conversation.stub.deadLetterStates([message.seq])).toMatchObject({ [message.seq]: { turn: "fallback", replayable: false } });
    const sent = queue.sent(conversation.id).length;

    await conversation.stub.setHandoff(false);
    expect(await conversation.stub.replayTurn(message.seq)).toMatchObject({ ok: true });
    expect(queue.sent(conversation.id)).toHaveLength(sent + 1);
  });

  it("that fails too says nothing new to the user and leaves the turn replayable", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    await deadLetterToFallback(conversation, message.seq);
    await conversation.stub.replayTurn(message.seq);
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) await overdue(conversation, clock);
    expect(queue.sent(conversation.id).map((t) => t.attempt)).toEqual(Array.from({ length: 2 * MAX_TURN_ATTEMPTS }, (_, i) => i + 1));
    expect((await botReplies(conversation, message.seq)).map((m) => m.response)).toEqual([PLATFORM_FALLBACK]);
    expect(await conversation.stub.deadLetterStates([message.seq])).toMatchObject({ [message.seq]: { turn: "fallback", replayable: true } });
  });

  it("goes behind the turn in flight and ahead of newer queued ones, keeping one turn in flight", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const failed = await say(conversation, "hello");
    await deadLetterToFallback(conversation, failed.seq);
    const inFlight = await say(conversation, "thanks");
    const queued = await say(conversation, "bye");
    await conversation.stub.replayTurn(failed.seq);
    expect(queue.sent(conversation.id).at(-1)?.seq).toBe(inFlight.seq);

    const current = queue.sent(conversation.id).at(-1);
    if (!current) throw new Error("nothing dispatched");
    await conversation.stub.applyDialogueResult(dialogueResult(current));
    expect(queue.sent(conversation.id).at(-1)).toMatchObject({ seq: failed.seq, attempt: MAX_TURN_ATTEMPTS + 1 });
    const replay = queue.sent(conversation.id).at(-1);
    if (!replay) throw new Error("nothing dispatched");
    await conversation.stub.applyDialogueResult(dialogueResult(replay));
    expect(queue.sent(conversation.id).at(-1)).toMatchObject({ seq: queued.seq, attempt: 1 });
  });
});
