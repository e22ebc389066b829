// A messaging channel's conversation in workerd (docs/channels.md): created by its chat's first
// message, a repeated delivery making no turn, its replies and agent messages put on the outbound
// queue chained in seq order, its delivery record (the sender's ledger), and what a channel turn
// costs in rows written beyond a web turn's. A reply whose queue send failed is queued again from
// the object's alarm; one lost when the object restarted is queued again when the chain or the user
// needs it.
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import type { ChannelOutboundMessage, ChannelTurn, IntentQueueMessage } from "../../../shared/schemas/index.ts";
import gateway from "../../../workers/gateway/src/index.ts";
import { OPERATOR, dialogueResult, freezeClock, recordIntentQueue, rowsWrittenBy, transcript, type TestConversation } from "./conversation-fixture.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const hex = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** A Telegram chat's conversation object (no call made yet). */
function chatConversation(): TestConversation & { chatId: string } {
  const id = hex();
  return { id, stub: env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id)), chatId: String(Math.floor(Math.random() * 1e9)) };
}

let update = 1000;
const message = (conversation: { id: string; chatId: string }, text: string, messageId = String(update++)): ChannelTurn => ({
  conversationId: conversation.id,
  bot: "ecommerce",
  chat: { channel: "telegram", chatId: conversation.chatId, address: { channel: "telegram", chatId: conversation.chatId } },
  text,
  clientMessageId: `telegram:${messageId}`,
  traceId: crypto.randomUUID(),
  receivedAt: new Date().toISOString(),
});

/** Records what the objects put on the outbound queue (the send still happens; nothing consumes it here). */
function recordOutbound() {
  const spy = vi.spyOn(env.CHANNEL_OUTBOUND_QUEUE_0, "send");
  return {
    spy,
    sent: (conversationId: string): ChannelOutboundMessage[] =>
      spy.mock.calls.map(([body]) => body as ChannelOutboundMessage).filter((body) => body.conversationId === conversationId),
  };
}

async function receive(conversation: TestConversation & { chatId: string }, text: string, messageId?: string) {
  const result = await conversation.stub.receiveChannelMessage(message(conversation, text, messageId));
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

/** The dialogue Worker answers the last turn dispatched with `replies`. */
async function answer(conversation: TestConversation, queue: { sent(id: string): IntentQueueMessage[] }, replies: { text: string; quickReplies?: string[] }[]) {
  const turn = queue.sent(conversation.id).at(-1);
  if (!turn) throw new Error("nothing dispatched");
  await conversation.stub.applyDialogueResult(dialogueResult(turn, { replies: replies.map((reply) => ({ ...reply, response: "utter_answer" })) }));
}

/** A send that "succeeds" without reaching the queue: the message is lost with the object that sent it. */
const LOST: QueueSendResponse = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };

/** Lets the object's background sends (ctx.waitUntil) finish. */
const settleBackground = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The sender's part for one queued message: claim each item, "send", settle. */
async function deliver(conversation: TestConversation, outbound: ChannelOutboundMessage): Promise<void> {
  let previous = outbound.after;
  for (const item of outbound.items) {
    const claim = await conversation.stub.claimChannelDelivery({ seq: item.seq, previous, lease: crypto.randomUUID(), leaseMs: 60_000 });
    expect(claim).toMatchObject({ kind: "claimed" });
    await conversation.stub.settleChannelDelivery(item.seq);
    previous = item.seq;
  }
}

describe("a channel conversation", () => {
  it("is created by the chat's first message; a repeated delivery makes no second turn", async () => {
    const queue = recordIntentQueue();
    const conversation = chatConversation();
    const first = await receive(conversation, "hi", "7");
    expect(first).toMatchObject({ created: true, duplicate: false, message: { seq: 1, text: "hi" } });
    const again = await receive(conversation, "hi", "7");
    expect(again).toMatchObject({ created: false, duplicate: true, message: { seq: 1 } });
    expect(queue.sent(conversation.id)).toHaveLength(1);
    expect((await conversation.stub.summary(OPERATOR)).ok).toBe(true);
  });

  it("puts each turn's replies and each agent message on the outbound queue, chained in seq order", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    await answer(conversation, queue, [{ text: "Hello!", quickReplies: ["Track my order"] }, { text: "How can I help?" }]);
    await receive(conversation, "track it");
    await answer(conversation, queue, [{ text: "Which order?" }]);
    expect((await conversation.stub.setHandoff(true)).ok).toBe(true);
    expect((await conversation.stub.appendAgentMessage("Dana here.")).ok).toBe(true);
    await settleBackground();
    expect(outbound.sent(conversation.id).map(({ after, items }) => ({ after, items }))).toEqual([
      { after: 0, items: [{ seq: 2, text: "Hello!", quickReplies: ["Track my order"] }, { seq: 3, text: "How can I help?" }] },
      { after: 3, items: [{ seq: 5, text: "Which order?" }] },
      { after: 5, items: [{ seq: 6, text: "Dana here." }] },
    ]);
    expect(outbound.sent(conversation.id)[0]).toMatchObject({ v: 1, kind: "channel-send", bot: "ecommerce", address: { channel: "telegram", chatId: conversation.chatId } });
  });

  it("keeps the sender's ledger: a message is claimed once everything before it is settled, and never twice", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await receive(conversation, "more");
    await answer(conversation, queue, [{ text: "Sure." }]);
    await settleBackground();
    const [first, second] = outbound.sent(conversation.id);
    const lease = crypto.randomUUID();
    // The second reply waits for the first; two deliveries of the first cannot both send it.
    expect(await conversation.stub.claimChannelDelivery({ seq: 4, previous: 2, lease, leaseMs: 60_000 })).toEqual({ kind: "wait", reason: "earlier_pending" });
    expect(await conversation.stub.claimChannelDelivery({ seq: 2, previous: 0, lease, leaseMs: 60_000 })).toMatchObject({ kind: "claimed", uncertain: false });
    expect(await conversation.stub.claimChannelDelivery({ seq: 2, previous: 0, lease: crypto.randomUUID(), leaseMs: 60_000 })).toMatchObject({ kind: "wait", reason: "in_flight" });
    await conversation.stub.settleChannelDelivery(2);
    expect(await conversation.stub.claimChannelDelivery({ seq: 2, previous: 0, lease: crypto.randomUUID(), leaseMs: 60_000 })).toEqual({ kind: "settled" });
    await deliver(conversation, second!);
    expect(first?.items.map((item) => item.seq)).toEqual([2]);
    // The transcript is untouched by the ledger (its row is not a message).
    expect((await transcript(conversation)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it("costs what a web turn costs, plus one row written per claim and per settle of each reply; one queue message per turn", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    // The first message creates the conversation (its table and record: three rows) and stores the message.
    expect(await rowsWrittenBy(conversation, () => receive(conversation, "hi"))).toBe(4);
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await settleBackground();
    await deliver(conversation, outbound.sent(conversation.id)[0]!);
    const perTurn: number[] = [];
    const perDelivery: number[] = [];
    for (const [i, text] of ["where is my order", "when does it arrive", "thanks"].entries()) {
      const replies = i === 1 ? [{ text: "Thursday." }, { text: "Anything else?" }] : [{ text: "OK." }];
      perTurn.push(await rowsWrittenBy(conversation, async () => {
        await receive(conversation, text);
        await answer(conversation, queue, replies);
      }));
      await settleBackground();
      perDelivery.push(await rowsWrittenBy(conversation, () => deliver(conversation, outbound.sent(conversation.id).at(-1)!)));
    }
    // Two rows per turn, as a web turn (storage-cost.test.ts); the delivery record: a claim and a settle per reply.
    expect(perTurn).toEqual([2, 2, 2]);
    expect(perDelivery).toEqual([2, 4, 2]);
    expect(outbound.sent(conversation.id)).toHaveLength(4);
  });
});

describe("a reply that did not reach the queue", () => {
  it("is queued again from the alarm when the queue refused it", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    outbound.spy.mockRejectedValue(new Error("queue unavailable"));
    await answer(conversation, queue, [{ text: "Hello!" }]);
    // Three tries at once (200 ms, 400 ms apart), then the alarm.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const alarm = await runInDurableObject(conversation.stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(outbound.sent(conversation.id)).toHaveLength(3);
    outbound.spy.mockRestore();
    const sent = recordOutbound();
    expect(await runDurableObjectAlarm(conversation.stub)).toBe(true);
    expect(sent.sent(conversation.id)).toEqual([expect.objectContaining({ after: 0, items: [{ seq: 2, text: "Hello!" }] })]);
  });

  it("is queued again when the object restarted after storing it and the chain waits on it", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await settleBackground();
    await deliver(conversation, outbound.sent(conversation.id)[0]!);
    expect((await conversation.stub.setHandoff(true)).ok).toBe(true);
    // An operator's message is stored, but its queue message is lost with the object (it restarts before the send).
    outbound.spy.mockResolvedValueOnce(LOST);
    expect((await conversation.stub.appendAgentMessage("Dana here.")).ok).toBe(true);
    await settleBackground();
    await runInDurableObject(conversation.stub, (_instance, state) => {
      state.abort("restarted");
    }).catch(() => undefined);
    // A new instance of the object, reached through a new stub (the old one is broken with it).
    conversation.stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversation.id));
    // The operator's next message is queued; the sender finds it waiting on the lost one, which is queued again.
    expect((await conversation.stub.appendAgentMessage("Let me check.")).ok).toBe(true);
    await settleBackground();
    expect(outbound.sent(conversation.id).at(-1)).toMatchObject({ after: 3, items: [{ seq: 4, text: "Let me check." }] });
    expect(await conversation.stub.claimChannelDelivery({ seq: 4, previous: 3, lease: crypto.randomUUID(), leaseMs: 60_000 })).toEqual({ kind: "wait", reason: "earlier_pending" });
    await settleBackground();
    const healed = outbound.sent(conversation.id).at(-1)!;
    expect(healed).toMatchObject({ after: 2, items: [{ seq: 3, text: "Dana here." }, { seq: 4, text: "Let me check." }] });
    await deliver(conversation, healed);
  });

  it("is queued again when the object restarted after storing it and the user writes next", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    outbound.spy.mockResolvedValueOnce(LOST);
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await settleBackground();
    await runInDurableObject(conversation.stub, (_instance, state) => {
      state.abort("restarted");
    }).catch(() => undefined);
    conversation.stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversation.id));
    expect(outbound.sent(conversation.id)).toHaveLength(1);
    await receive(conversation, "hello?");
    await settleBackground();
    expect(outbound.sent(conversation.id).at(-1)).toMatchObject({ after: 0, items: [{ seq: 2, text: "Hello!" }] });
    // Once it is settled, the user's next message queues nothing again.
    await deliver(conversation, outbound.sent(conversation.id).at(-1)!);
    await answer(conversation, queue, [{ text: "Still here." }]);
    await settleBackground();
    const count = outbound.sent(conversation.id).length;
    await receive(conversation, "ok");
    await settleBackground();
    expect(outbound.sent(conversation.id)).toHaveLength(count);
  });
});

describe("the outbound queue's dead letters, and retention", () => {
  it("settles a dead-lettered message undelivered, so the chat's next reply is not held behind it", async () => {
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await receive(conversation, "more");
    await answer(conversation, queue, [{ text: "Sure." }]);
    await settleBackground();
    const [lost, next] = outbound.sent(conversation.id);
    expect(await conversation.stub.claimChannelDelivery({ seq: 4, previous: 2, lease: crypto.randomUUID(), leaseMs: 60_000 })).toMatchObject({ kind: "wait" });
    // The queue gave up on the first reply (its consumer failed it max_retries times).
    const batch = createMessageBatch("stratus-channel-outbound-dlq", [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: lost }]);
    const ctx = createExecutionContext();
    await gateway.queue(batch, env, ctx);
    expect(await getQueueResult(batch, ctx)).toMatchObject({ explicitAcks: [batch.messages[0]!.id], retryMessages: [] });
    await deliver(conversation, next!);
  });

  it("starts the chat's conversation afresh after retention deleted it, with a fresh delivery record", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const outbound = recordOutbound();
    const conversation = chatConversation();
    await receive(conversation, "hi");
    await answer(conversation, queue, [{ text: "Hello!" }]);
    await settleBackground();
    await deliver(conversation, outbound.sent(conversation.id)[0]!);
    clock.advance((gatewayConfig(env).STRATUS_RETENTION_DAYS + 1) * 86_400_000);
    expect(await conversation.stub.expireIfIdle()).toMatchObject({ expired: true });
    expect(await receive(conversation, "hi again")).toMatchObject({ created: true, message: { seq: 1 } });
    await answer(conversation, queue, [{ text: "Welcome back!" }]);
    await settleBackground();
    const fresh = outbound.sent(conversation.id).at(-1)!;
    expect(fresh).toMatchObject({ after: 0, items: [{ seq: 2, text: "Welcome back!" }] });
    await deliver(conversation, fresh);
  });
});
