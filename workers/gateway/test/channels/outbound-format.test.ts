// How a bot reply ({text, quickReplies}) looks on each platform, and how each platform's answer is read.
import { describe, expect, it } from "vitest";
import { classifyLine, lineMessage, lineRetryKey } from "../../src/channels/line/outbound.ts";
import { retryAfterSeconds, type PlatformAnswer } from "../../src/channels/outbound-types.ts";
import { classifySlack, slackMessage } from "../../src/channels/slack/outbound.ts";
import { teamsActivity } from "../../src/channels/teams/outbound.ts";
import { classifyTelegram, telegramMessage } from "../../src/channels/telegram/outbound.ts";
import { classifyWeChat, weChatMessage } from "../../src/channels/wechat/outbound.ts";
import { classifyWhatsApp, whatsappForm, whatsappMessage } from "../../src/channels/whatsapp/outbound.ts";

const reply = (text: string, quickReplies?: string[]) => ({ seq: 2, text, ...(quickReplies === undefined ? {} : { quickReplies }) });
const options = (n: number, label = (i: number) => `Option ${i + 1}`) => Array.from({ length: n }, (_, i) => label(i));
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): PlatformAnswer => ({
  status,
  headers: new Headers(headers),
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

describe("Slack chat.postMessage", () => {
  const address = { channel: "slack" as const, channelId: "D024BE91L" };

  it("sends plain text with Slack's control characters escaped, and buttons whose value is the option", () => {
    expect(slackMessage(address, reply("Orders <over> $50 & more"))).toEqual({ channel: "D024BE91L", text: "Orders &lt;over&gt; $50 &amp; more" });
    const message = slackMessage({ ...address, threadTs: "1.2" }, reply("Anything else?", ["Track my order", "Talk to a person"]));
    expect(message).toMatchObject({ thread_ts: "1.2", text: "Anything else?" });
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "plain_text", text: "Anything else?", emoji: true } },
      {
        type: "actions",
        elements: [
          { type: "button", action_id: "stratus_qr_0", text: { type: "plain_text", text: "Track my order", emoji: true }, value: "Track my order" },
          { type: "button", action_id: "stratus_qr_1", text: { type: "plain_text", text: "Talk to a person", emoji: true }, value: "Talk to a person" },
        ],
      },
    ]);
  });

  it("splits more than 25 buttons over actions blocks and long text over sections", () => {
    const blocks = slackMessage(address, reply("x".repeat(6500), options(30))).blocks as { type: string; elements?: unknown[] }[];
    expect(blocks.map((block) => block.type)).toEqual(["section", "section", "section", "actions", "actions"]);
    expect(blocks.filter((block) => block.type === "actions").map((block) => block.elements?.length)).toEqual([25, 5]);
  });

  it("reads ok, Slack's error strings, and 429 with Retry-After", () => {
    expect(classifySlack(answer(200, { ok: true, ts: "1" }), NOW)).toEqual({ kind: "sent" });
    expect(classifySlack(answer(200, { ok: false, error: "channel_not_found" }), NOW)).toEqual({ kind: "rejected", reason: "channel_not_found" });
    expect(classifySlack(answer(200, { ok: false, error: "invalid_auth" }), NOW)).toMatchObject({ kind: "token_rejected" });
    expect(classifySlack(answer(200, { ok: false, error: "internal_error" }), NOW)).toMatchObject({ kind: "retryable" });
    expect(classifySlack(answer(429, { ok: false, error: "ratelimited" }, { "Retry-After": "30" }), NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 30 });
    expect(classifySlack(answer(503, "upstream"), NOW)).toMatchObject({ kind: "retryable" });
  });
});

describe("Teams activity", () => {
  const address = { channel: "teams" as const, serviceUrl: "https://smba.trafficmanager.net/amer/", conversationId: "a:1", botId: "28:bot" };

  it("puts up to six options on a hero card as imBack buttons, more as a numbered list", () => {
    const withCard = teamsActivity(address, reply("Anything else?", ["Track my order", "Talk to a person"]));
    expect(withCard).toEqual({
      type: "message",
      from: { id: "28:bot" },
      conversation: { id: "a:1" },
      text: "Anything else?",
      textFormat: "plain",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.hero",
          content: {
            buttons: [
              { type: "imBack", title: "Track my order", value: "Track my order" },
              { type: "imBack", title: "Talk to a person", value: "Talk to a person" },
            ],
          },
        },
      ],
    });
    const numbered = teamsActivity(address, reply("Pick one", options(7)));
    expect(numbered.attachments).toBeUndefined();
    expect(numbered.text).toBe(`Pick one\n\n${options(7).map((o, i) => `${i + 1}. ${o}`).join("\n")}`);
  });
});

describe("Telegram sendMessage", () => {
  it("sends the options as an inline keyboard, one button per row, each naming its index", () => {
    expect(telegramMessage({ channel: "telegram", chatId: "-100123" }, reply("Anything else?", ["Track my order", "Talk to a person"]))).toEqual({
      chat_id: "-100123",
      text: "Anything else?",
      reply_markup: { inline_keyboard: [[{ text: "Track my order", callback_data: "qr:0" }], [{ text: "Talk to a person", callback_data: "qr:1" }]] },
    });
    expect((telegramMessage({ channel: "telegram", chatId: "1" }, reply("y".repeat(5000))).text as string).length).toBe(4096);
  });

  it("reads Telegram's retry_after on a 429, a blocked bot as refused, a 5xx as retryable", () => {
    expect(classifyTelegram(answer(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 17", parameters: { retry_after: 17 } }), NOW)).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 17,
    });
    expect(classifyTelegram(answer(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }), NOW)).toEqual({
      kind: "rejected",
      reason: "Forbidden: bot was blocked by the user",
    });
    expect(classifyTelegram(answer(502, "<html>Bad Gateway</html>"), NOW)).toMatchObject({ kind: "retryable" });
    expect(classifyTelegram(answer(200, { ok: true, result: { message_id: 1 } }), NOW)).toEqual({ kind: "sent" });
  });
});

describe("WhatsApp messages", () => {
  const address = { channel: "whatsapp" as const, phoneNumberId: "106540352242922", to: "16505551234" };

  it("uses reply buttons for up to three short options, a list for up to ten, else numbered text", () => {
    expect(whatsappForm(reply("hi"))).toBe("text");
    expect(whatsappForm(reply("hi", ["Yes", "No", "Maybe"]))).toBe("buttons");
    expect(whatsappForm(reply("hi", options(4)))).toBe("list");
    expect(whatsappForm(reply("hi", ["A twenty-one chars!!", "A twenty-two chars!!!!"]))).toBe("list");
    expect(whatsappForm(reply("hi", ["This option is far too long for a row"]))).toBe("numbered");
    expect(whatsappForm(reply("hi", options(11)))).toBe("numbered");
    expect(whatsappForm(reply("z".repeat(1025), ["Yes"]))).toBe("numbered");
  });

  it("builds the Cloud API's interactive button, list and text messages", () => {
    expect(whatsappMessage(address, reply("Anything else?", ["Track order", "Talk to a person"]))).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "16505551234",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Anything else?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "qr:0", title: "Track order" } },
            { type: "reply", reply: { id: "qr:1", title: "Talk to a person" } },
          ],
        },
      },
    });
    const list = whatsappMessage(address, reply("Pick", options(5))) as { interactive: { type: string; action: { sections: { rows: unknown[] }[] } } };
    expect(list.interactive.type).toBe("list");
    expect(list.interactive.action.sections[0]?.rows).toHaveLength(5);
    const numbered = whatsappMessage(address, reply("Pick", options(11))) as { type: string; text: { body: string } };
    expect(numbered.type).toBe("text");
    expect(numbered.text.body).toMatch(/^Pick\n\n1\. Option 1\n/);
  });

  it("reads the Graph API's throughput and pair rate limits, the reply window and token errors", () => {
    expect(classifyWhatsApp(answer(400, { error: { code: 131056, message: "(#131056) pair rate limit hit" } }), NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 6 });
    expect(classifyWhatsApp(answer(429, { error: { code: 130429, message: "Rate limit hit" } }, { "Retry-After": "9" }), NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 9 });
    expect(classifyWhatsApp(answer(400, { error: { code: 131047, message: "Re-engagement message" } }), NOW)).toMatchObject({ kind: "rejected" });
    expect(classifyWhatsApp(answer(401, { error: { code: 190, message: "Error validating access token" } }), NOW)).toMatchObject({ kind: "token_rejected" });
    expect(classifyWhatsApp(answer(500, { error: { code: 131000, message: "Something went wrong" } }), NOW)).toMatchObject({ kind: "retryable" });
  });
});

describe("LINE push messages", () => {
  it("sends up to 13 options as quick replies with labels of at most 20 characters, more as numbered text", () => {
    const message = lineMessage({ channel: "line", to: "U1" }, reply("Anything else?", ["Track my order", "Talk to a person about my refund"]));
    expect(message).toEqual({
      to: "U1",
      messages: [
        {
          type: "text",
          text: "Anything else?",
          quickReply: {
            items: [
              { type: "action", action: { type: "message", label: "Track my order", text: "Track my order" } },
              { type: "action", action: { type: "message", label: "Talk to a person ab…", text: "Talk to a person about my refund" } },
            ],
          },
        },
      ],
    });
    const many = lineMessage({ channel: "line", to: "U1" }, reply("Pick", options(14))) as { messages: { quickReply?: unknown; text: string }[] };
    expect(many.messages[0]?.quickReply).toBeUndefined();
    expect(many.messages[0]?.text).toContain("14. Option 14");
  });

  it("derives one retry key per message, the same on every attempt, shaped as a UUID", async () => {
    const key = await lineRetryKey("3f2a4b6c8d0e1f2a3b4c5d6e7f809102", 7);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await lineRetryKey("3f2a4b6c8d0e1f2a3b4c5d6e7f809102", 7)).toBe(key);
    expect(await lineRetryKey("3f2a4b6c8d0e1f2a3b4c5d6e7f809102", 8)).not.toBe(key);
    expect(await lineRetryKey("4f2a4b6c8d0e1f2a3b4c5d6e7f809102", 7)).not.toBe(key);
  });

  it("reads 409 (the retry key was accepted before) as sent, and the monthly quota as refused", () => {
    expect(classifyLine(answer(409, { message: "The retry key is already accepted" }), NOW)).toEqual({ kind: "sent" });
    expect(classifyLine(answer(429, { message: "You have reached your monthly limit." }), NOW)).toMatchObject({ kind: "rejected" });
    expect(classifyLine(answer(429, { message: "Too Many Requests" }, { "Retry-After": "2" }), NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 2 });
  });
});

describe("WeChat customer-service messages", () => {
  it("has no buttons: the options are a numbered list", () => {
    expect(weChatMessage({ channel: "wechat", openId: "o1" }, reply("还需要什么帮助？", ["查订单", "人工客服"]))).toEqual({
      touser: "o1",
      msgtype: "text",
      text: { content: "还需要什么帮助？\n\n1. 查订单\n2. 人工客服" },
    });
  });

  it("reads errcodes: 0 sent, -1 retry, an invalid token renewed, the 48-hour window refused", () => {
    expect(classifyWeChat(answer(200, { errcode: 0, errmsg: "ok" }), NOW)).toEqual({ kind: "sent" });
    expect(classifyWeChat(answer(200, { errcode: -1, errmsg: "system error" }), NOW)).toMatchObject({ kind: "retryable" });
    expect(classifyWeChat(answer(200, { errcode: 42001, errmsg: "access_token expired" }), NOW)).toMatchObject({ kind: "token_rejected" });
    expect(classifyWeChat(answer(200, { errcode: 45015, errmsg: "response out of time limit" }), NOW)).toMatchObject({ kind: "rejected" });
    expect(classifyWeChat(answer(200, { errcode: 45011, errmsg: "api minute-quota reach limit" }), NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 60 });
  });
});

describe("Retry-After", () => {
  it("takes seconds or an HTTP date, at least 1 s and at most 12 hours", () => {
    expect(retryAfterSeconds(new Headers({ "Retry-After": "120" }), NOW, 30)).toBe(120);
    expect(retryAfterSeconds(new Headers({ "Retry-After": new Date(NOW + 45_000).toUTCString() }), NOW, 30)).toBe(45);
    expect(retryAfterSeconds(new Headers({ "Retry-After": "0" }), NOW, 30)).toBe(1);
    expect(retryAfterSeconds(new Headers({ "Retry-After": "99999999" }), NOW, 30)).toBe(43_200);
    expect(retryAfterSeconds(new Headers(), NOW, 30)).toBe(30);
  });
});
