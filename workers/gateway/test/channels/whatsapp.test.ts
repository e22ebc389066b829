// WhatsApp Cloud API webhooks: the GET verification handshake and X-Hub-Signature-256 (hex
// HMAC-SHA256 of the raw body under the app secret), as Meta documents them.
import { describe, expect, it } from "vitest";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { SECRETS, context, request, whatsappSignature } from "./fixtures.ts";

const handshake = (query: Record<string, string>) =>
  receiveChannelRequest(context("whatsapp", request({ method: "GET", url: `https://stratus.example/v1/channels/whatsapp/shop?${new URLSearchParams(query)}` })));

const deliver = (body: string, signature: string | null = whatsappSignature(body)) =>
  receiveChannelRequest(
    context("whatsapp", request({ body, headers: { "Content-Type": "application/json", ...(signature === null ? {} : { "X-Hub-Signature-256": signature }) } })),
  );

const webhook = (messages: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
              contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
              messages,
              ...extra,
            },
          },
        ],
      },
    ],
  });

const text = (id: string, body: string) => ({ from: "16505551234", id, timestamp: "1749416383", type: "text", text: { body } });

describe("WhatsApp webhook", () => {
  it("answers the verification request with hub.challenge when the verify token is ours", async () => {
    await expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": SECRETS.WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1158201444" })).resolves.toEqual({
      kind: "handshake",
      answer: { status: 200, contentType: "text/plain; charset=utf-8", body: "1158201444" },
    });
    for (const query of [
      { "hub.mode": "subscribe", "hub.verify_token": "not-ours", "hub.challenge": "1" },
      { "hub.mode": "unsubscribe", "hub.verify_token": SECRETS.WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1" },
      { "hub.mode": "subscribe", "hub.challenge": "1" },
      {},
    ]) {
      await expect(handshake(query), JSON.stringify(query)).rejects.toBeInstanceOf(ChannelVerificationError);
    }
  });

  it("accepts a signed delivery and makes one event per message, keyed by its wamid", async () => {
    const body = webhook([text("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "hi"), text("wamid.second", "track my order")]);
    const outcome = await deliver(body);
    expect(outcome.kind === "events" && outcome.events.map((event) => [event.messageId, event.text, event.chatId])).toEqual([
      ["wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "hi", "16505551234"],
      ["wamid.second", "track my order", "16505551234"],
    ]);
    expect(outcome.kind === "events" && outcome.events[0]?.address).toEqual({ channel: "whatsapp", phoneNumberId: "106540352242922", to: "16505551234" });
  });

  it("refuses a missing, malformed or wrong signature and a changed body with 401", async () => {
    const body = webhook([text("wamid.1", "hi")]);
    for (const signature of [null, "", whatsappSignature(body).slice(7), whatsappSignature(body, "another-app-secret"), whatsappSignature(body).replace("sha256=", "sha1=")]) {
      await expect(deliver(body, signature), String(signature)).rejects.toBeInstanceOf(ChannelVerificationError);
    }
    await expect(deliver(body.replace("hi", "ho"), whatsappSignature(body))).rejects.toThrow(/X-Hub-Signature-256/);
  });

  it("reads a tap on a reply button or a list row as the option's title", async () => {
    const outcome = await deliver(
      webhook([
        { from: "16505551234", id: "wamid.b", type: "interactive", interactive: { type: "button_reply", button_reply: { id: "qr:0", title: "Track my order" } } },
        { from: "16505551234", id: "wamid.l", type: "interactive", interactive: { type: "list_reply", list_reply: { id: "qr:4", title: "Return an item", description: "" } } },
      ]),
    );
    expect(outcome.kind === "events" && outcome.events.map((event) => event.text)).toEqual(["Track my order", "Return an item"]);
  });

  it("ignores status updates, media and reactions", async () => {
    const statuses = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "106540352242922" }, statuses: [{ id: "wamid.x", status: "delivered" }] } }] }],
    });
    expect(await deliver(statuses)).toMatchObject({ kind: "ignore", reasons: ["not_a_message"] });
    const media = await deliver(webhook([{ from: "1", id: "wamid.i", type: "image", image: { id: "m" } }, { from: "1", id: "wamid.r", type: "reaction", reaction: {} }]));
    expect(media).toMatchObject({ kind: "ignore", reasons: ["unsupported_type", "unsupported_type"] });
  });
});
