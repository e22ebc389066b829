// The outbound sender against the local platform imitations (real HTTP on loopback): each chat's
// replies arrive in order and once, through redeliveries, out-of-order batches, concurrent
// deliveries, 5xx answers, 429 with Retry-After, refused tokens and a consumer that died mid-send.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { claimDelivery, ledgerOverStore, type ChannelDeliveryRecord } from "../../../../shared/channel-delivery.ts";
import type { ChannelAddress, ChannelName, ChannelOutboundMessage, ParsedChannelOutboundMessage } from "../../../../shared/schemas/channels.ts";
import { ChannelOutboundMessageSchema } from "../../../../shared/schemas/channels.ts";
import { AccessTokenCache } from "../../src/channels/access-tokens.ts";
import { accessTokenKey, sendChannelReply } from "../../src/channels/outbound.ts";
import { DEFAULT_MAX_RETRIES, deliverOutbound, handleOutboundBatch, type OutboundQueueMessage, type SenderDeps } from "../../src/channels/sender.ts";
import { BOT, SECRETS, channelConfigFor } from "./fixtures.ts";

let demo: DemoServices;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0 });
});
afterAll(() => demo.close());

const CONVERSATION = "3f2a4b6c8d0e1f2a3b4c5d6e7f809102";

function addressOf(channel: ChannelName): ChannelAddress {
  switch (channel) {
    case "slack":
      return { channel, channelId: "D024BE91L" };
    case "teams":
      return { channel, serviceUrl: `${demo.url}/teams`, conversationId: "a:1Xt5ZqY", botId: "28:bot" };
    case "telegram":
      return { channel, chatId: "1111111" };
    case "whatsapp":
      return { channel, phoneNumberId: "106540352242922", to: "16505551234" };
    case "line":
      return { channel, to: "U80696558e1aa831" };
    case "wechat":
      return { channel, openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" };
  }
}

const outbound = (channel: ChannelName, after: number, items: ChannelOutboundMessage["items"], conversationId = CONVERSATION): ParsedChannelOutboundMessage =>
  ChannelOutboundMessageSchema.parse({ v: 1, kind: "channel-send", conversationId, bot: BOT, address: addressOf(channel), after, items });

let records: Map<string, ChannelDeliveryRecord>;
let ledgerClock: number;
let logs: Record<string, unknown>[];
let sleeps: number[];
let tokens: AccessTokenCache;
let deps: SenderDeps;

beforeEach(async () => {
  await fetch(`${demo.url}/_reset`, { method: "POST" });
  records = new Map();
  ledgerClock = Date.now();
  logs = [];
  sleeps = [];
  tokens = new AccessTokenCache();
  deps = {
    config: channelConfigFor(demo.url),
    fetch,
    now: () => Date.now(),
    tokens,
    ledger: ledgerOverStore({ read: (id) => records.get(id), write: (id, record) => records.set(id, record) }, () => ledgerClock),
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    newLease: randomUUID,
    log: (event) => logs.push(event),
  };
});

interface Sent {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** What the platform's imitation accepted, oldest first (GET /_sent?channel=). */
async function sent(channel: ChannelName): Promise<Sent[]> {
  const response = await fetch(`${demo.url}/_sent?channel=${channel}`);
  return ((await response.json()) as { sent: Sent[] }).sent;
}

const fail = (channel: ChannelName, status: number, count: number, retryAfter = 1) =>
  fetch(`${demo.url}/_fail?channel=${channel}&status=${status}&count=${count}&retryAfter=${retryAfter}`, { method: "POST" });

/** The text each platform's imitation received, in order. */
function textsOf(channel: ChannelName, list: Sent[]): string[] {
  return list.map(({ body }) => {
    switch (channel) {
      case "slack":
      case "teams":
      case "telegram":
        return String(body.text);
      case "whatsapp":
        return String((body.text as { body?: string } | undefined)?.body ?? (body.interactive as { body: { text: string } }).body.text);
      case "line":
        return String((body.messages as { text: string }[])[0]?.text);
      case "wechat":
        return String((body.text as { content: string }).content);
    }
  });
}

const CHANNELS: ChannelName[] = ["slack", "teams", "telegram", "whatsapp", "line", "wechat"];

describe("sending replies to every platform", () => {
  it.each(CHANNELS)("%s: a turn's replies arrive in order, each once, even when the queue delivers the message again", async (channel) => {
    const message = outbound(channel, 0, [
      { seq: 2, text: "Order ORD-4820193 has shipped.", quickReplies: ["Track another", "Talk to a person"] },
      { seq: 3, text: "Anything else?" },
    ]);
    expect(await deliverOutbound(message, 1, deps)).toEqual({ action: "ack", sent: 2, skipped: 0, refused: 0 });
    expect(await deliverOutbound(message, 2, deps)).toEqual({ action: "ack", sent: 0, skipped: 2, refused: 0 });
    const received = await sent(channel);
    const texts = textsOf(channel, received);
    expect(texts).toHaveLength(2);
    expect(texts[0]?.startsWith("Order ORD-4820193 has shipped.")).toBe(true);
    expect(texts[1]).toBe("Anything else?");
    expect(records.get(CONVERSATION)).toEqual({ sentThrough: 3 });
  });

  it("sends with each platform's credentials: bearer tokens, the token in Telegram's path, a Bot Framework token and a WeChat access token the platform issued", async () => {
    for (const channel of CHANNELS) {
      records.clear();
      await deliverOutbound(outbound(channel, 0, [{ seq: 2, text: "hi" }]), 1, deps);
    }
    expect((await sent("slack"))[0]?.headers.authorization).toBe(`Bearer ${SECRETS.SLACK_BOT_TOKEN}`);
    expect((await sent("whatsapp"))[0]?.headers.authorization).toBe(`Bearer ${SECRETS.WHATSAPP_ACCESS_TOKEN}`);
    expect((await sent("line"))[0]?.headers.authorization).toBe(`Bearer ${SECRETS.LINE_CHANNEL_ACCESS_TOKEN}`);
    expect((await sent("line"))[0]?.headers["x-line-retry-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sent("telegram"))[0]?.path).toBe(`/telegram/bot${SECRETS.TELEGRAM_BOT_TOKEN}/sendMessage`);
    // The imitations accept only tokens their own token endpoints issued.
    expect(await sent("teams")).toHaveLength(1);
    expect(await sent("wechat")).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain(SECRETS.TELEGRAM_BOT_TOKEN);
  });

  it("renders quick replies as each platform's own buttons", async () => {
    const options = ["Track my order", "Talk to a person"];
    for (const channel of CHANNELS) {
      records.clear();
      await deliverOutbound(outbound(channel, 0, [{ seq: 2, text: "Anything else?", quickReplies: options }]), 1, deps);
    }
    const [slack] = await sent("slack");
    expect((slack?.body.blocks as { type: string }[]).map((block) => block.type)).toEqual(["section", "actions"]);
    const [teams] = await sent("teams");
    expect((teams?.body.attachments as { contentType: string }[])[0]?.contentType).toBe("application/vnd.microsoft.card.hero");
    const [telegram] = await sent("telegram");
    expect(telegram?.body.reply_markup).toEqual({ inline_keyboard: [[{ text: "Track my order", callback_data: "qr:0" }], [{ text: "Talk to a person", callback_data: "qr:1" }]] });
    const [whatsapp] = await sent("whatsapp");
    expect((whatsapp?.body.interactive as { type: string }).type).toBe("button");
    const [line] = await sent("line");
    expect((line?.body.messages as { quickReply: { items: unknown[] } }[])[0]?.quickReply.items).toHaveLength(2);
    const [wechat] = await sent("wechat");
    expect((wechat?.body.text as { content: string }).content).toBe("Anything else?\n\n1. Track my order\n2. Talk to a person");
  });
});

describe("order and exactly-once", () => {
  it("holds a batch that arrives before the one it follows, then sends both in seq order", async () => {
    const first = outbound("telegram", 0, [{ seq: 2, text: "two" }, { seq: 3, text: "three" }]);
    const second = outbound("telegram", 3, [{ seq: 5, text: "five" }]);
    const early = await deliverOutbound(second, 1, deps);
    expect(early).toMatchObject({ action: "retry", reason: "earlier_pending" });
    expect(await sent("telegram")).toHaveLength(0);
    expect(await deliverOutbound(first, 1, deps)).toMatchObject({ action: "ack", sent: 2 });
    expect(await deliverOutbound(second, 2, deps)).toMatchObject({ action: "ack", sent: 1 });
    expect(textsOf("telegram", await sent("telegram"))).toEqual(["two", "three", "five"]);
  });

  it("sends once when two deliveries of one message run at the same time", async () => {
    const message = outbound("slack", 0, [{ seq: 2, text: "two" }, { seq: 3, text: "three" }]);
    const decisions = await Promise.all([deliverOutbound(message, 1, deps), deliverOutbound(message, 1, deps)]);
    // The loser found the winner's lease and is told to come back; coming back, it skips everything.
    expect(decisions.map((decision) => decision.action).sort()).toEqual(["ack", "retry"]);
    expect(await deliverOutbound(message, 2, deps)).toMatchObject({ action: "ack", sent: 0, skipped: 2 });
    expect(textsOf("slack", await sent("slack"))).toEqual(["two", "three"]);
  });

  it("takes over the send of a consumer that died after LINE accepted it, and LINE's retry key keeps it to one message", async () => {
    const message = outbound("line", 0, [{ seq: 2, text: "two" }]);
    // A consumer claims seq 2, LINE accepts the push, and the consumer dies before settling it.
    const dead = claimDelivery({ sentThrough: 0 }, { seq: 2, previous: 0, lease: "dead-consumer", leaseMs: 60_000 }, ledgerClock);
    records.set(CONVERSATION, dead.record);
    expect(await sendChannelReply(message, message.items[0]!, deps)).toEqual({ kind: "sent" });
    // While its lease lasts, a redelivery waits; once it has run out, the redelivery takes over.
    expect(await deliverOutbound(message, 2, deps)).toMatchObject({ action: "retry", reason: "in_flight" });
    ledgerClock += 61_000;
    expect(await deliverOutbound(message, 3, deps)).toMatchObject({ action: "ack", sent: 1 });
    expect(logs).toContainEqual(expect.objectContaining({ result: "uncertain_resend", seq: 2 }));
    expect(textsOf("line", await sent("line"))).toEqual(["two"]);
  });
});

describe("failures, rate limits and Retry-After", () => {
  it("waits as long as a 429's Retry-After asks, sends nothing meanwhile, then sends once", async () => {
    await fail("slack", 429, 1, 7);
    const message = outbound("slack", 0, [{ seq: 2, text: "two" }]);
    const decision = await deliverOutbound(message, 1, deps);
    expect(decision).toMatchObject({ action: "retry", reason: "rate_limited" });
    expect(decision.action === "retry" && decision.delaySeconds).toBeGreaterThanOrEqual(7);
    expect(decision.action === "retry" && decision.delaySeconds).toBeLessThanOrEqual(8);
    expect(await sent("slack")).toHaveLength(0);
    expect(await deliverOutbound(message, 2, deps)).toMatchObject({ action: "ack", sent: 1 });
    expect(await sent("slack")).toHaveLength(1);
  });

  it("reads Telegram's retry_after from the body of its 429", async () => {
    await fail("telegram", 429, 1, 13);
    const decision = await deliverOutbound(outbound("telegram", 0, [{ seq: 2, text: "two" }]), 1, deps);
    expect(decision.action === "retry" && decision.delaySeconds).toBeGreaterThanOrEqual(13);
  });

  it("never drops a rate-limited reply: at the last attempt the message goes back on the queue", async () => {
    await fail("whatsapp", 429, 1, 3);
    const decision = await deliverOutbound(outbound("whatsapp", 0, [{ seq: 2, text: "two" }]), DEFAULT_MAX_RETRIES + 1, deps);
    expect(decision).toMatchObject({ action: "requeue", reason: "rate_limited" });
  });

  it("retries a 5xx at once with backoff and jitter, and sends once when the platform recovers", async () => {
    await fail("teams", 500, 2);
    expect(await deliverOutbound(outbound("teams", 0, [{ seq: 2, text: "two" }]), 1, deps)).toMatchObject({ action: "ack", sent: 1 });
    expect(sleeps).toEqual([250, 500]);
    expect(await sent("teams")).toHaveLength(1);
  });

  it("hands a platform that keeps failing back to the queue with a growing delay, its claim released", async () => {
    await fail("line", 500, 10);
    const message = outbound("line", 0, [{ seq: 2, text: "two" }]);
    const first = await deliverOutbound(message, 1, deps);
    const fourth = await deliverOutbound(message, 4, deps);
    expect(first).toMatchObject({ action: "retry" });
    expect(first.action === "retry" && fourth.action === "retry" && fourth.delaySeconds > first.delaySeconds).toBe(true);
    expect(records.get(CONVERSATION)).toEqual({ sentThrough: 0 });
    expect(await sent("line")).toHaveLength(0);
  });

  it("settles a reply the platform refuses for good, logs it, and goes on with the next", async () => {
    await fail("telegram", 403, 1);
    const decision = await deliverOutbound(outbound("telegram", 0, [{ seq: 2, text: "two" }, { seq: 3, text: "three" }]), 1, deps);
    expect(decision).toEqual({ action: "ack", sent: 1, skipped: 0, refused: 1 });
    expect(logs).toContainEqual(expect.objectContaining({ result: "refused", seq: 2 }));
    expect(textsOf("telegram", await sent("telegram"))).toEqual(["three"]);
  });

  it("gets a new access token when the platform refuses the cached one", async () => {
    const config = channelConfigFor(demo.url);
    const teams = config.secrets("teams", BOT)!;
    await tokens.get(accessTokenKey("teams", config.teamsTokenUrl(teams), teams.appId), Date.now(), () => Promise.resolve({ value: "revoked-token", expiresInSeconds: 3600 }));
    await tokens.get(accessTokenKey("wechat", config.api.wechat, SECRETS.WECHAT_APP_ID), Date.now(), () => Promise.resolve({ value: "expired-token", expiresInSeconds: 7200 }));
    expect(await deliverOutbound(outbound("teams", 0, [{ seq: 2, text: "two" }]), 1, deps)).toMatchObject({ action: "ack", sent: 1 });
    records.clear();
    expect(await deliverOutbound(outbound("wechat", 0, [{ seq: 2, text: "two" }]), 1, deps)).toMatchObject({ action: "ack", sent: 1 });
    expect((await sent("teams"))[0]?.headers.authorization).not.toBe("Bearer revoked-token");
    expect(await sent("wechat")).toHaveLength(1);
  });
});

describe("the queue consumer", () => {
  class QueueMessage implements OutboundQueueMessage {
    acked = false;
    retried: { delaySeconds?: number } | undefined;
    constructor(
      readonly body: unknown,
      readonly attempts = 1,
    ) {}
    ack(): void {
      this.acked = true;
    }
    retry(options: { delaySeconds?: number } = {}): void {
      this.retried = options;
    }
  }

  it("sends a conversation's messages in chain order whatever order the batch has them in", async () => {
    const later = new QueueMessage(outbound("slack", 3, [{ seq: 5, text: "five" }]));
    const earlier = new QueueMessage(outbound("slack", 0, [{ seq: 2, text: "two" }, { seq: 3, text: "three" }]));
    await handleOutboundBatch([later, earlier], deps, () => Promise.reject(new Error("no requeue expected")));
    expect([earlier.acked, later.acked]).toEqual([true, true]);
    expect(textsOf("slack", await sent("slack"))).toEqual(["two", "three", "five"]);
  });

  it("retries a rate-limited conversation's later messages with it, unsent, and leaves other conversations alone", async () => {
    await fail("telegram", 429, 1, 20);
    const first = new QueueMessage(outbound("telegram", 0, [{ seq: 2, text: "two" }]));
    const second = new QueueMessage(outbound("telegram", 2, [{ seq: 4, text: "four" }]));
    const other = new QueueMessage(outbound("slack", 0, [{ seq: 2, text: "elsewhere" }], "0123456789abcdef0123456789abcdef"));
    await handleOutboundBatch([first, second, other], deps, () => Promise.reject(new Error("no requeue expected")));
    expect(first.retried?.delaySeconds).toBeGreaterThanOrEqual(20);
    expect(second.retried?.delaySeconds).toBe(first.retried?.delaySeconds);
    expect(other.acked).toBe(true);
    expect(await sent("telegram")).toHaveLength(0);
  });

  it("puts a copy back on the queue instead of letting a rate-limited message dead-letter", async () => {
    await fail("slack", 429, 1, 5);
    const requeued: { body: ParsedChannelOutboundMessage; delaySeconds: number }[] = [];
    const last = new QueueMessage(outbound("slack", 0, [{ seq: 2, text: "two" }]), DEFAULT_MAX_RETRIES + 1);
    await handleOutboundBatch([last], deps, (body, delaySeconds) => {
      requeued.push({ body, delaySeconds });
      return Promise.resolve();
    });
    expect(last.acked).toBe(true);
    expect(requeued).toHaveLength(1);
    expect(requeued[0]?.body.requeues).toBe(1);
    expect(requeued[0]?.delaySeconds).toBeGreaterThanOrEqual(5);
  });

  it("acknowledges and logs a body that is not an outbound message, without its content", async () => {
    const broken = new QueueMessage({ v: 1, kind: "channel-send", items: [{ seq: 1, text: "secret text" }] });
    await handleOutboundBatch([broken], deps, () => Promise.resolve());
    expect(broken.acked).toBe(true);
    expect(logs).toContainEqual(expect.objectContaining({ event: "channel_outbound_invalid" }));
    expect(JSON.stringify(logs)).not.toContain("secret text");
  });
});
