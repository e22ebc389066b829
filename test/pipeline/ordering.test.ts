// Strict per-conversation order, idempotent resends and at-least-once delivery applied once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Reply, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript, waitForTranscript } from "../../devkit/transcript.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

/** Every user message has replies, each turn's replies come before the next turn's, none twice. */
function expectAnsweredOnceInOrder(transcript: Reply[]): void {
  const users = transcript.filter((m) => m.role === "user");
  const bots = transcript.filter((m) => m.role === "bot");
  const answered = new Set(bots.map((m) => m.replyTo));
  for (const user of users) expect(answered.has(user.seq), `user message ${user.seq} answered`).toBe(true);
  const replyOrder = bots.map((m) => m.replyTo ?? 0);
  expect(replyOrder).toEqual([...replyOrder].sort((a, b) => a - b));
  for (const user of users) {
    const replies = bots.filter((m) => m.replyTo === user.seq);
    expect(replies.every((reply) => reply.seq > user.seq)).toBe(true);
    const responses = replies.map((reply) => `${reply.response}:${reply.text}`);
    expect(new Set(responses).size, `turn ${user.seq} answered once`).toBe(responses.length);
  }
}

describe("ordering", () => {
  it("answers 20 concurrent messages once each, in order", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const texts = Array.from({ length: 20 }, (_, i) => (i % 2 ? `where is my order ORD-10000${i + 10}` : "hello"));
    const responses = await Promise.all(texts.map((text) => postMessage(stratus, conversation, { text })));
    expect(responses.map((r) => r.status)).toEqual(texts.map(() => 202));
    const transcript = await waitForTranscript(
      stratus,
      conversation,
      (messages) => new Set(messages.filter((m) => m.role === "bot").map((m) => m.replyTo)).size === 20,
      60_000,
    );
    const users = transcript.filter((m) => m.role === "user");
    expect(users).toHaveLength(20);
    expect(users.map((m) => m.seq)).toEqual([...users.map((m) => m.seq)].sort((a, b) => a - b));
    expectAnsweredOnceInOrder(transcript);
  });
});

describe("idempotency", () => {
  it("returns the original message for a repeated clientMessageId, without a second turn", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const first = await postMessage(stratus, conversation, { text: "hello", clientMessageId: "retry-me" }, "?wait=20");
    expect(first.status).toBe(200);
    const original = (await first.json()) as { message: Reply; replies: Reply[] };
    const again = await postMessage(stratus, conversation, { text: "hello", clientMessageId: "retry-me" }, "?wait=20");
    expect(again.status).toBe(200);
    const repeated = (await again.json()) as { message: Reply; replies: Reply[] };
    expect(repeated.message).toEqual(original.message);
    expect(repeated.replies).toEqual(original.replies);
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it("rejects a clientMessageId reused for another text with 409", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    expect((await postMessage(stratus, conversation, { text: "hello", clientMessageId: "same" })).status).toBe(202);
    const conflict = await postMessage(stratus, conversation, { text: "something else", clientMessageId: "same" });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: "client_message_id_conflict" } });
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.filter((m) => m.role === "user").map((m) => m.text)).toEqual(["hello"]);
  });

  it("applies a dialogue result delivered twice only once", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    // "#dup-dialogue" makes the intent Worker (fault injection on) send the understood turn twice,
    // as an at-least-once queue may.
    const { replies } = await stratus.say(conversation, "hello #dup-dialogue");
    expect(replies.length).toBeGreaterThan(0);
    await stratus.say(conversation, "thanks"); // the next turn proves the duplicate was consumed
    const transcript = await readTranscript(stratus, conversation);
    const firstTurnReplies = transcript.filter((m) => m.replyTo === 1);
    expect(firstTurnReplies.map((m) => m.seq)).toEqual(replies.map((m) => m.seq));
    expectAnsweredOnceInOrder(transcript);
  });
});
