// Telegram webhooks: the secret-token header compared in constant time, update_id as the idempotency
// key, inline keyboard taps read back as the option's text.
import { describe, expect, it } from "vitest";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { BOT, NOW, SECRETS, context, request } from "./fixtures.ts";

const receive = (update: unknown, secret: string | null = SECRETS.TELEGRAM_WEBHOOK_SECRET) =>
  receiveChannelRequest(
    context(
      "telegram",
      request({ body: JSON.stringify(update), headers: { "Content-Type": "application/json", ...(secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }) } }),
    ),
  );

const message = (overrides: Record<string, unknown> = {}) => ({
  update_id: 10000,
  message: {
    message_id: 1365,
    from: { id: 1111111, is_bot: false, first_name: "Test", username: "Test" },
    chat: { id: 1111111, type: "private", first_name: "Test" },
    date: 1441645532,
    text: "where is my order ORD-4820193?",
    ...overrides,
  },
});

describe("Telegram webhook", () => {
  it("accepts an update with the webhook's secret token and keys it by update_id", async () => {
    const outcome = await receive(message());
    expect(outcome).toEqual({
      kind: "events",
      ignored: [],
      answer: { status: 200, body: "" },
      events: [
        {
          channel: "telegram",
          bot: BOT,
          chatId: "1111111",
          userId: "1111111",
          messageId: "10000",
          text: "where is my order ORD-4820193?",
          truncated: false,
          receivedAt: new Date(NOW).toISOString(),
          redelivery: false,
          address: { channel: "telegram", chatId: "1111111" },
        },
      ],
    });
  });

  it("refuses a missing, wrong or differently sized secret token with 401", async () => {
    for (const secret of [null, "", "wrong", SECRETS.TELEGRAM_WEBHOOK_SECRET.slice(0, -1), `${SECRETS.TELEGRAM_WEBHOOK_SECRET}x`, SECRETS.TELEGRAM_WEBHOOK_SECRET.toUpperCase()]) {
      await expect(receive(message(), secret), String(secret)).rejects.toBeInstanceOf(ChannelVerificationError);
    }
  });

  it("keeps a group chat's negative id as the chat and the sender as the user", async () => {
    const outcome = await receive(message({ chat: { id: -1001234567890, type: "supergroup", title: "Shoppers" } }));
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({ chatId: "-1001234567890", userId: "1111111", address: { chatId: "-1001234567890" } });
  });

  it("turns a tap on the bot's inline keyboard into the option's label and acknowledges the tap", async () => {
    const update = {
      update_id: 10001,
      callback_query: {
        id: "4382bfdwdsb323b2d9",
        from: { id: 1111111, is_bot: false, first_name: "Test" },
        chat_instance: "-9876",
        data: "qr:1",
        message: {
          message_id: 1366,
          from: { id: 999, is_bot: true, first_name: "Shop bot" },
          chat: { id: 1111111, type: "private" },
          date: 1441645600,
          text: "Anything else?",
          reply_markup: { inline_keyboard: [[{ text: "Track my order", callback_data: "qr:0" }], [{ text: "Talk to a person", callback_data: "qr:1" }]] },
        },
      },
    };
    const outcome = await receive(update);
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({ chatId: "1111111", text: "Talk to a person", messageId: "10001" });
    expect(outcome.answer).toEqual({ status: 200, contentType: "application/json", body: JSON.stringify({ method: "answerCallbackQuery", callback_query_id: "4382bfdwdsb323b2d9" }) });
  });

  it("ignores edits, bots, stickers and updates that are not messages", async () => {
    expect(await receive({ update_id: 1, edited_message: message().message })).toMatchObject({ kind: "ignore", reasons: ["edited"] });
    expect(await receive(message({ from: { id: 5, is_bot: true, first_name: "Other bot" } }))).toMatchObject({ kind: "ignore", reasons: ["bot_message"] });
    expect(await receive(message({ text: undefined, sticker: { file_id: "x" } }))).toMatchObject({ kind: "ignore", reasons: ["unsupported_type"] });
    expect(await receive({ update_id: 2, my_chat_member: {} })).toMatchObject({ kind: "ignore", reasons: ["not_a_message"] });
  });

  it("cuts a text past 4,000 characters and removes control characters", async () => {
    const outcome = await receive(message({ text: `a\u0007b ${"x".repeat(5000)}` }));
    const event = outcome.kind === "events" ? outcome.events[0] : undefined;
    expect(event?.truncated).toBe(true);
    expect([...(event?.text ?? "")].length).toBe(4000);
    expect(event?.text.startsWith("ab ")).toBe(true);
  });
});
