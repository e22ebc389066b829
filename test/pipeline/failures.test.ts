// Retries, dead-letter queues and the watchdog: no user message is ever left without a reply.
// Fault injection is on in test Workers: "#fail-intent" fails every delivery, "#fail-intent-once"
// only the first (see shared/fault-injection.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, waitForTranscript } from "../../devkit/transcript.ts";

const FALLBACK = "stratus_pipeline_fallback";

describe("with a short watchdog (2 s, 2 attempts)", () => {
  let stratus: Stratus;
  beforeAll(async () => {
    stratus = await startStratus({ gatewayVars: { TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" } });
  });
  afterAll(() => stratus?.close());

  it.each(["intent", "dialogue"])("retries a %s consumer that fails once, and the user gets the real answer", async (stage) => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const { replies } = await stratus.say(conversation, `hello #fail-${stage}-once`, 25);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map((r) => r.response)).not.toContain(FALLBACK);
    expect(replies[0]?.nlu?.intent.name).toBe("greet");
  });

  it("answers with the polite fallback when every attempt fails, then carries on", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const started = Date.now();
    const failing = await postMessage(stratus, conversation, { text: "hello #fail-dialogue" });
    const next = await postMessage(stratus, conversation, { text: "hello" });
    expect([failing.status, next.status]).toEqual([202, 202]);
    const transcript = await waitForTranscript(
      stratus,
      conversation,
      (messages) => messages.some((m) => m.replyTo === 2),
      30_000,
    );
    const firstReplies = transcript.filter((m) => m.replyTo === 1);
    expect(firstReplies).toHaveLength(1);
    expect(firstReplies[0]).toMatchObject({ role: "bot", response: FALLBACK });
    expect(firstReplies[0]?.text).toMatch(/sorry/i);
    // The message queued behind the failing one is answered normally, after it.
    const secondReplies = transcript.filter((m) => m.replyTo === 2);
    expect(secondReplies.map((m) => m.response)).not.toContain(FALLBACK);
    expect(Math.min(...secondReplies.map((m) => m.seq))).toBeGreaterThan(firstReplies[0]?.seq ?? Infinity);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.each(["intent", "dialogue"])("isolates a %s message that always fails from the others in its batch: they are answered by the bot, it alone gets the fallback", async (stage) => {
    const conversations = await Promise.all(Array.from({ length: 8 }, () => stratus.createConversation({ locale: "en" })));
    // Sent together, so they share the consumers' batches; the failing one first.
    const texts = conversations.map((_, i) => (i === 0 ? `hello #fail-${stage}` : "hello"));
    const posted = await Promise.all(conversations.map((conversation, i) => postMessage(stratus, conversation, { text: texts[i] ?? "hello" })));
    expect(posted.map((response) => response.status)).toEqual(conversations.map(() => 202));
    const replies = await Promise.all(
      conversations.map(async (conversation) => (await waitForTranscript(stratus, conversation, (messages) => messages.some((m) => m.replyTo === 1), 30_000)).filter((m) => m.replyTo === 1)),
    );
    expect(replies[0]?.map((m) => m.response)).toEqual([FALLBACK]);
    for (const answer of replies.slice(1)) {
      expect(answer.map((m) => m.response)).not.toContain(FALLBACK);
      expect(answer[0]?.nlu?.intent.name).toBe("greet");
    }
  });

  it("answers with the bot's own fallback.unavailable response where the bot defines one", async () => {
    const conversation = await stratus.createConversation({ bot: "health", locale: "en" });
    const { replies } = await stratus.say(conversation, "what causes headaches #fail-intent", 25);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ role: "bot", response: "utter_unavailable" });
    expect(replies[0]?.text).toMatch(/emergency, call 911/);
  });

  it("answers the fallback in Chinese when the user wrote Chinese", async () => {
    const conversation = await stratus.createConversation();
    const { replies } = await stratus.say(conversation, "你好 #fail-intent", 25);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ response: FALLBACK });
    expect(replies[0]?.text).toMatch(/抱歉/);
  });
});

describe("with a slow watchdog (60 s, 1 attempt)", () => {
  let stratus: Stratus;
  beforeAll(async () => {
    stratus = await startStratus({ gatewayVars: { TURN_TIMEOUT_MS: "60000", MAX_TURN_ATTEMPTS: "1" } });
  });
  afterAll(() => stratus?.close());

  it("answers from the dead-letter queue as soon as the queue's retries run out", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const started = Date.now();
    const { replies } = await stratus.say(conversation, "where is my order #fail-intent", 30);
    expect(replies.map((r) => r.response)).toEqual([FALLBACK]);
    // 4 deliveries 1 s apart, then the dead letter: far sooner than the 60 s watchdog.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
