import { describe, expect, it } from "vitest";
import { channelClientMessageId, channelConversationId, resolveNumberedReply } from "./channel-conversation.ts";
import { ClientMessageIdSchema, ConversationIdSchema } from "./schemas/conversation.ts";

describe("a chat's conversation", () => {
  it("is the same conversation for the same chat, and another for another chat, bot, channel or secret", async () => {
    const chat = { channel: "telegram" as const, bot: "ecommerce", chatId: "1111111" };
    const id = await channelConversationId("secret", chat);
    expect(ConversationIdSchema.safeParse(id).success).toBe(true);
    expect(await channelConversationId("secret", chat)).toBe(id);
    const others = await Promise.all([
      channelConversationId("secret", { ...chat, chatId: "1111112" }),
      channelConversationId("secret", { ...chat, bot: "finance" }),
      channelConversationId("secret", { ...chat, channel: "line" }),
      channelConversationId("another secret", chat),
    ]);
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it("carries the bot's residency jurisdiction", async () => {
    const id = await channelConversationId("secret", { channel: "whatsapp", bot: "health", chatId: "16505551234" }, "eu");
    expect(id).toMatch(/^eu-[0-9a-f]{32}$/);
    expect(ConversationIdSchema.safeParse(id).success).toBe(true);
  });
});

describe("a delivery's clientMessageId", () => {
  it("is the platform's id with the channel, or a digest of an id that would not fit", async () => {
    expect(await channelClientMessageId({ channel: "slack", messageId: "Ev0PV52K25" })).toBe("slack:Ev0PV52K25");
    const long = await channelClientMessageId({ channel: "teams", messageId: "x".repeat(300) });
    const unicode = await channelClientMessageId({ channel: "teams", messageId: "消息 1" });
    for (const id of [long, unicode]) {
      expect(id).toMatch(/^teams#[0-9a-f]{64}$/);
      expect(ClientMessageIdSchema.safeParse(id).success).toBe(true);
    }
    expect(await channelClientMessageId({ channel: "teams", messageId: "消息 1" })).toBe(unicode);
  });
});

describe("a numbered answer to a plain-text menu", () => {
  const options = ["查订单", "人工客服", "Return an item"];
  it("means the option with that number", () => {
    expect(resolveNumberedReply("2", options)).toBe("人工客服");
    expect(resolveNumberedReply(" 3. ", options)).toBe("Return an item");
    expect(resolveNumberedReply("１", options)).toBe("查订单");
  });
  it("leaves any other text, an out-of-range number, or a chat without a menu alone", () => {
    expect(resolveNumberedReply("4", options)).toBe("4");
    expect(resolveNumberedReply("0", options)).toBe("0");
    expect(resolveNumberedReply("2 please", options)).toBe("2 please");
    expect(resolveNumberedReply("2", undefined)).toBe("2");
    expect(resolveNumberedReply("ORD-4820193", options)).toBe("ORD-4820193");
  });
});
