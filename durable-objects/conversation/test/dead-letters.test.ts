// The dead-letter path in workerd: a queue gave up on a turn, the gateway's dead-letter consumer
// (workers/gateway/src/dead-letters.ts) gets the batch and tells the conversation, which sends the
// turn again or answers with the fallback, and records the dead letter in the registry
// (durable-objects/dead-letters/). Batches are made with createMessageBatch and their acks and
// retries read with getQueueResult.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { DeadLetterListSchema, type IntentQueueMessage } from "../../../shared/schemas/index.ts";
import gateway from "../../../workers/gateway/src/index.ts";
import { newConversation, recordIntentQueue, say, transcript } from "./conversation-fixture.ts";

const { MAX_TURN_ATTEMPTS } = gatewayConfig(env);

afterEach(() => {
  vi.restoreAllMocks();
});

/** Delivers `bodies` to the gateway's consumer of `queue` as one batch; returns the batch's acks and retries. */
async function deliverDeadLetters(queue: string, bodies: unknown[]) {
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

describe("the dead-letter list", () => {
  /** `GET /v1/dead-letters` of the gateway itself, with the operator key. */
  async function listed(query = "?limit=200") {
    const ctx = createExecutionContext();
    const response = await gateway.fetch(
      new Request(`https://stratus.test/v1/dead-letters${query}`, { headers: { Authorization: `Bearer ${gatewayConfig(env).OPERATOR_API_KEY}` } }),
      env,
      ctx,
    );
    expect(response.status).toBe(200);
    return DeadLetterListSchema.parse(await response.json());
  }
  const recordsOf = async (conversationId: string) => (await listed()).deadLetters.filter((record) => record.conversationId === conversationId);

  it("shows a turn once, with its stage, dispatches, the consumer's last error and no text", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const message = await say(conversation, "my card number is 4111 1111 1111 1111");
    const [turn] = queue.sent(conversation.id);
    if (!turn) throw new Error("nothing dispatched");
    // What the dialogue consumer reports at each failed delivery (shared/queue-consumer.ts), through its queue.
    const reports = [1, 2, 3, 4].map((deliveries) => ({
      v: 1, conversationId: conversation.id, seq: message.seq, attempt: 1, stage: "dialogue", deliveries, error: `Error: backend down (${deliveries})`,
    }));
    const { ids, result } = await deliverDeadLetters("stratus-turn-failures", [...reports, { not: "a report" }]);
    expect(result.explicitAcks.toSorted()).toEqual(ids.toSorted());
    await deliverDeadLetters("stratus-dialogue-dlq", [understood(turn)]);

    const [record, ...others] = await recordsOf(conversation.id);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ seq: message.seq, stage: "dialogue", attempts: 1, deliveries: 4, lastError: "Error: backend down (4)", turn: "retrying", replayable: false, replays: 0 });
    expect(JSON.stringify(record)).not.toMatch(/4111|card/);

    // The re-dispatched attempt dies too, in another shard's queue: the same record, newer facts.
    const second = queue.sent(conversation.id).at(-1);
    if (!second) throw new Error("nothing dispatched");
    await deliverDeadLetters("stratus-intent-dlq-shard-7", [second]);
    // A late, second delivery of the first dead letter changes nothing.
    await deliverDeadLetters("stratus-dialogue-dlq", [understood(turn)]);
    const records = await recordsOf(conversation.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: record?.id, stage: "intent", attempts: 2, lastError: "Error: backend down (4)" });
  });

  it("pages newest first", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    for (const text of ["one", "two", "three"]) {
      await say(conversation, text);
      for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) {
        const current = queue.sent(conversation.id).at(-1);
        if (current) await deliverDeadLetters("stratus-intent-dlq", [current]);
      }
    }
    const mine = await recordsOf(conversation.id);
    expect(mine.map((record) => [record.seq, record.turn, record.replayable])).toEqual([
      [5, "fallback", true],
      [3, "fallback", true],
      [1, "fallback", true],
    ]);
    const newest = mine[0]?.id ?? 0;
    const first = await listed(`?before=${newest + 1}&limit=2`);
    expect(first.deadLetters.map((record) => record.seq)).toEqual([5, 3]);
    const second = await listed(`?before=${first.nextBefore ?? 0}&limit=2`);
    expect(second.deadLetters[0]?.seq).toBe(1);
  });
});
