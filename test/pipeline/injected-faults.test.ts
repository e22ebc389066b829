// Rate-based faults on the real stack (shared/fault-injection.ts): both queue Workers throw a
// quarter of their deliveries (the queue retries them) and stall another quarter for longer than
// the watchdog, so the conversation sends those turns again and then gets two results for them.
// Whatever the draws, every message is answered exactly once, in the order it was written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type ConversationHandle, type Reply, type Stratus } from "../../devkit/local-stack.ts";
import { parsePrometheusText, sumOf, type Sample } from "../../devkit/prometheus-text.ts";
import { postMessage, waitForTranscript } from "../../devkit/transcript.ts";

const TURN_TIMEOUT_MS = 1000;
// Longer than the watchdog, so a stalled delivery's result comes after the turn was sent again.
const STALL_MS = 1500;
const FAULTS = { FAULT_THROW_RATE: "0.25", FAULT_STALL_RATE: "0.25", FAULT_STALL_MS: String(STALL_MS) };
const CONVERSATIONS = 3;
const TEXTS = ["hello", "where is my order ORD-4820193", "thanks", "bye"];

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus({
    // More dispatches than the default 3: a turn stuck behind another turn's stall on its queue
    // shard (local queues deliver one batch at a time) times out too, and should still get the bot's answer.
    gatewayVars: { TURN_TIMEOUT_MS: String(TURN_TIMEOUT_MS), MAX_TURN_ATTEMPTS: "6" },
    intentVars: FAULTS,
    dialogueVars: FAULTS,
    allVars: { STRATUS_METRICS_FLUSH_MS: "200" },
  });
});
afterAll(() => stratus?.close());

const scrape = async (): Promise<Sample[]> => parsePrometheusText(await stratus.metrics());

/** Each user message has one answer (its replies, none of them twice), after it, and before the next message's. */
function expectAnsweredOnceInOrder(transcript: Reply[]): void {
  const users = transcript.filter((m) => m.role === "user");
  const bots = transcript.filter((m) => m.role === "bot");
  expect(users.map((m) => m.text)).toEqual(TEXTS);
  for (const user of users) {
    const replies = bots.filter((m) => m.replyTo === user.seq);
    expect(replies.length, `message ${user.seq} answered`).toBeGreaterThan(0);
    expect(replies.every((reply) => reply.seq > user.seq)).toBe(true);
    const responses = replies.map((reply) => `${reply.response}:${reply.text}`);
    expect(new Set(responses).size, `message ${user.seq} answered once`).toBe(responses.length);
  }
  const replyOrder = bots.map((m) => m.replyTo ?? 0);
  expect(replyOrder).toEqual([...replyOrder].sort((a, b) => a - b));
}

describe("with throw and stall rates in both queue Workers", () => {
  it("answers every message of every conversation exactly once, in order, and drops the late results", { timeout: 60_000 }, async () => {
    const conversations: ConversationHandle[] = await Promise.all(
      Array.from({ length: CONVERSATIONS }, () => stratus.createConversation({ locale: "en" })),
    );
    // Back to back: the conversation queues them and sends one turn at a time.
    for (const conversation of conversations) {
      for (const text of TEXTS) expect((await postMessage(stratus, conversation, { text })).status).toBe(202);
    }
    const answeredAll = (messages: Reply[]) =>
      messages.filter((m) => m.role === "user").every((user) => messages.some((m) => m.role === "bot" && m.replyTo === user.seq));
    const transcripts = await Promise.all(conversations.map((conversation) => waitForTranscript(stratus, conversation, answeredAll, 45_000)));
    for (const transcript of transcripts) expectAnsweredOnceInOrder(transcript);

    // The faults happened, and a stalled delivery's result, or its turn's other attempt's, was
    // dropped as a duplicate (it may arrive a stall after the last answer; counts a flush later).
    const turns = CONVERSATIONS * TEXTS.length;
    const settled = (samples: Sample[]) =>
      sumOf(samples, "stratus_turn_results_dropped_total", { reason: "already_answered" }) > 0 && sumOf(samples, "stratus_turns_total") >= turns;
    const deadline = Date.now() + 3 * STALL_MS + 2000;
    let samples = await scrape();
    while (!settled(samples) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      samples = await scrape();
    }
    expect(sumOf(samples, "stratus_injected_faults_total", { kind: "throw" })).toBeGreaterThan(0);
    expect(sumOf(samples, "stratus_injected_faults_total", { kind: "stall" })).toBeGreaterThan(0);
    expect(sumOf(samples, "stratus_turn_dispatches_total", { cause: "watchdog" })).toBeGreaterThan(0);
    expect(sumOf(samples, "stratus_turn_results_dropped_total", { reason: "already_answered" })).toBeGreaterThan(0);
    // Each turn closed once: the counters agree with the transcripts.
    expect(sumOf(samples, "stratus_turns_total")).toBe(turns);
  });
});
