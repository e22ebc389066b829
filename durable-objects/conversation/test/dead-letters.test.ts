// The dead-letter path in workerd: a queue gave up on a turn, the gateway's dead-letter consumer
// (workers/gateway/src/dead-letters.ts) gets the batch and tells the conversation, which sends the
// turn again or answers with the fallback. Batches are made with createMessageBatch and their
// acks and retries read with getQueueResult.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import type { IntentQueueMessage } from "../../../shared/schemas/index.ts";
import gateway from "../../../workers/gateway/src/index.ts";
import { newConversation, recordIntentQueue, say, transcript } from "./conversation-fixture.ts";

const { MAX_TURN_ATTEMPTS } = gatewayConfig(env);

afterEach(() => {
  vi.restoreAllMocks();
});

/** Delivers `bodies` to the gateway's consumer of `queue` as one batch; returns the batch's acks and retries. */
async function deliverDeadLetters(queue: "stratus-intent-dlq" | "stratus-dialogue-dlq", bodies: unknown[]) {
  const messages = bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await gateway.queue(batch, env, ctx);
  return { ids: messages.map((m) => m.id), result: await getQueueResult(batch, ctx) };
}

/** What the dialogue queue carries for a turn: the dispatched turn with its NLU result. */
const understood = (turn: IntentQueueMessage) => ({
  ...turn,
  kind: "understood-turn",
  nlu: { intent: { name: "greet", confidence: 0.9 }, intents: [], entities: [], locale: "en" },
});

describe("dead letters", () => {
  it("re-dispatch the turn in flight at once, with attempt + 1, and are acked", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await say(conversation, "hello");
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");

    const { ids, result } = await deliverDeadLetters("stratus-intent-dlq", [turn]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(queue.sent(conversation.id).map((t) => t.attempt)).toEqual([1, 2]);
  });

  it("answer with the fallback once the last attempt is dead-lettered, from either queue", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "hello");
    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) {
      const turn = queue.sent(conversation.id).at(-1);
      if (!turn) throw new Error("nothing dispatched");
      expect(turn.attempt).toBe(attempt);
      const dead = attempt % 2 ? turn : understood(turn);
      const { result } = await deliverDeadLetters(attempt % 2 ? "stratus-intent-dlq" : "stratus-dialogue-dlq", [dead]);
      expect(result.retryMessages).toEqual([]);
    }
    expect(queue.sent(conversation.id)).toHaveLength(MAX_TURN_ATTEMPTS);
    const replies = (await transcript(conversation)).filter((m) => m.replyTo === message.seq);
    expect(replies.map((m) => m.response)).toEqual(["stratus_pipeline_fallback"]);
  });

  it("of an attempt that is no longer in flight change nothing", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await say(conversation, "hello");
    const [first] = queue.sent(conversation.id);
    if (!first) throw new Error("nothing dispatched");
    await deliverDeadLetters("stratus-intent-dlq", [first]);
    // Attempt 1's dead letter again (the queue delivered it twice), and one from the dialogue queue.
    const { ids, result } = await deliverDeadLetters("stratus-dialogue-dlq", [understood(first), first]);
    expect(result.explicitAcks.toSorted()).toEqual(ids.toSorted());
    expect(queue.sent(conversation.id).map((t) => t.attempt)).toEqual([1, 2]);
    expect((await transcript(conversation)).filter((m) => m.role === "bot")).toEqual([]);
  });

  it("that cannot be read, or name no conversation, are acked and change nothing", async () => {
    const queue = recordIntentQueue();
    const { ids, result } = await deliverDeadLetters("stratus-intent-dlq", [
      { not: "a turn" },
      "text",
      { conversationId: "f".repeat(32), seq: 1, attempt: 1 },
    ]);
    expect(result.explicitAcks.toSorted()).toEqual(ids.toSorted());
    expect(result.retryMessages).toEqual([]);
    expect(queue.sent("f".repeat(32))).toEqual([]);
  });
});
