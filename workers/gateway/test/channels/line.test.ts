// LINE Messaging API webhooks: x-line-signature (base64 HMAC-SHA256 of the raw body under the channel
// secret), webhookEventId as the idempotency key, redeliveries, standby mode, the console's empty verify.
import { describe, expect, it } from "vitest";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { context, lineSignature, request } from "./fixtures.ts";

const deliver = (body: string, signature: string | null = lineSignature(body)) =>
  receiveChannelRequest(context("line", request({ body, headers: { "Content-Type": "application/json", ...(signature === null ? {} : { "X-Line-Signature": signature }) } })));

const event = (overrides: Record<string, unknown> = {}) => ({
  type: "message",
  message: { type: "text", id: "14353798921116", text: "where is my order ORD-4820193?", quoteToken: "q3Plxr4AgKd..." },
  webhookEventId: "01FZ74A0TDDPYRVKNK77XKC3ZR",
  deliveryContext: { isRedelivery: false },
  timestamp: 1625665242211,
  source: { type: "user", userId: "U80696558e1aa831..." },
  replyToken: "757913772c4646b784d4b7ce46d12671",
  mode: "active",
  ...overrides,
});

describe("LINE webhook", () => {
  it("accepts a signed delivery and keys each message event by webhookEventId", async () => {
    const outcome = await deliver(JSON.stringify({ destination: "xxxxxxxxxx", events: [event()] }));
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({
      channel: "line",
      chatId: "U80696558e1aa831...",
      userId: "U80696558e1aa831...",
      messageId: "01FZ74A0TDDPYRVKNK77XKC3ZR",
      redelivery: false,
      address: { channel: "line", to: "U80696558e1aa831..." },
    });
  });

  it("refuses a missing or wrong signature, and a body that is not the signed one, with 401", async () => {
    const body = JSON.stringify({ destination: "x", events: [event()] });
    for (const signature of [null, "", "not base64!", lineSignature(body, "another-channel-secret"), lineSignature(`${body} `)]) {
      await expect(deliver(body, signature), String(signature)).rejects.toBeInstanceOf(ChannelVerificationError);
    }
  });

  it("answers the console's verification (no events) and keeps a redelivery's event id", async () => {
    expect(await deliver(JSON.stringify({ destination: "x", events: [] }))).toMatchObject({ kind: "ignore", reasons: ["no_events"] });
    const again = await deliver(JSON.stringify({ destination: "x", events: [event({ deliveryContext: { isRedelivery: true } })] }));
    expect(again.kind === "events" && again.events[0]).toMatchObject({ messageId: "01FZ74A0TDDPYRVKNK77XKC3ZR", redelivery: true });
  });

  it("answers in the group a message came from, stays silent in standby, and ignores follows and stickers", async () => {
    const group = await deliver(JSON.stringify({ events: [event({ source: { type: "group", groupId: "Ca56f94637c...", userId: "U4af4980629..." } })] }));
    expect(group.kind === "events" && group.events[0]).toMatchObject({ chatId: "Ca56f94637c...", userId: "U4af4980629...", address: { to: "Ca56f94637c..." } });
    const others = await deliver(
      JSON.stringify({
        events: [event({ mode: "standby" }), event({ type: "follow", message: undefined }), event({ message: { type: "sticker", id: "1", packageId: "1", stickerId: "1" } })],
      }),
    );
    expect(others).toMatchObject({ kind: "ignore", reasons: ["standby", "not_a_message", "unsupported_type"] });
  });
});
