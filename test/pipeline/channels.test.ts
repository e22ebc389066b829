// Messaging channels end to end (issue #19, docs/channels.md): for every platform, a message signed
// as the platform signs it becomes a turn of its chat's conversation, and the bot's replies arrive at
// that platform's API imitation in order, once; a request wrongly signed, stale or forged is refused
// with nothing stored, and a delivery the platform repeats makes one turn; an operator's messages
// during a handoff go out to the chat; a 429 from the platform delays a reply, never drops it.
import { createHash, createHmac, randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../devkit/local-stack.ts";
import { OPERATOR_API_KEY } from "../../devkit/local-stack.ts";
import { CHANNEL_NAMES, type ChannelName } from "../../shared/schemas/channels.ts";
import { ConversationSummarySchema } from "../../shared/schemas/conversation.ts";
import { builtInBotDocument, publishBot, releaseBot } from "../harness/bot-versions.ts";
import { BOT, eventually, startChannelStack, type ChannelStack, type SentMessage } from "../harness/channel-stack.ts";

let stack: ChannelStack;
beforeAll(async () => {
  stack = await startChannelStack();
}, 120_000);
/** How long the webhook took to answer each timed delivery (printed: the platforms' deadlines are 3–5 s). */
const answerTimes: number[] = [];
afterAll(async () => {
  const sorted = answerTimes.toSorted((a, b) => a - b);
  if (sorted.length > 0) console.log(`channel webhook answers: ${sorted.length} deliveries, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
  await stack?.close();
});

/**
 * How long each platform waits for the webhook's answer before it counts the delivery as failed:
 * Slack 3 s, WeChat 5 s; the others' limits are longer or undocumented, and are held to Slack's.
 */
const ANSWER_DEADLINE_MS: Record<ChannelName, number> = { slack: 3000, teams: 3000, telegram: 3000, whatsapp: 3000, line: 3000, wechat: 5000 };

/** Delivers as the platform does, and checks that the answer came within the platform's deadline. */
async function timedDeliver(...args: Parameters<ChannelStack["deliver"]>): Promise<Response> {
  const started = performance.now();
  const response = await stack.deliver(...args);
  const ms = Math.round(performance.now() - started);
  answerTimes.push(ms);
  expect(ms, `${args[0]}: the webhook's answer time`).toBeLessThan(ANSWER_DEADLINE_MS[args[0]]);
  return response;
}

/** A chat id and message ids each platform would use (Telegram and WeChat ids are numbers). */
function newChat(channel: ChannelName): { chatId: string; messageId: () => string } {
  let n = randomInt(1_000_000, 9_000_000);
  const messageId = (): string => {
    n++;
    switch (channel) {
      case "slack":
        return `Ev${n}`;
      case "teams":
        return `f:${n}`;
      case "telegram":
      case "wechat":
        return String(n);
      case "whatsapp":
        return `wamid.${n}`;
      case "line":
        return `01H${n}`;
    }
  };
  const chatId = {
    slack: `D${randomInt(1e8, 9e8)}`,
    teams: `a:${randomUUID()}`,
    telegram: String(randomInt(1e8, 9e8)),
    whatsapp: `1555${randomInt(1e6, 9e6)}`,
    line: `U${randomUUID().replaceAll("-", "")}`,
    wechat: `o${randomUUID().replaceAll("-", "").slice(0, 27)}`,
  }[channel];
  return { chatId, messageId };
}

const outbound = (messages: Reply[]) => messages.filter((message) => message.role !== "user");

/** Every bot and agent message of the transcript, as the platform should have shown it, in seq order. */
function expectDelivered(channel: ChannelName, transcript: Reply[], sent: SentMessage[]): void {
  const expected = outbound(transcript);
  expect(sent.map((message) => message.text.slice(0, 40)), `${channel}: one send per reply, in order`).toEqual(expected.map((message) => message.text.slice(0, 40)));
  for (const [index, message] of expected.entries()) {
    const shown = sent[index]!;
    expect(shown.text.startsWith(message.text), `${channel}: seq ${message.seq}`).toBe(true);
    const options = message.quickReplies ?? [];
    // Buttons where the platform has them; a numbered list in the text where it has none (WeChat).
    if (options.length > 0) expect(shown.buttons.length > 0 ? shown.buttons : shown.text).toEqual(shown.buttons.length > 0 ? options : expect.stringContaining(`1. ${options[0]}`));
  }
}

/** Waits until the chat's last user message has its answer and the platform has every reply; then a moment more, for any stray second send. */
async function settled(channel: ChannelName, chatId: string, userMessages: number, timeoutMs = 30_000): Promise<{ transcript: Reply[]; sent: SentMessage[] }> {
  const conversationId = await stack.conversationOf(channel, chatId);
  const transcript = await eventually(
    async () => {
      const messages = await stack.transcript(conversationId);
      const users = messages.filter((message) => message.role === "user");
      // Turns are answered in order: the last one answered, all are (but those a handoff held, which the bot never answers).
      const last = users.at(-1);
      const answered = last !== undefined && messages.some((message) => message.role === "bot" && message.replyTo === last.seq);
      return users.length >= userMessages && answered ? messages : undefined;
    },
    async () => `${channel}: transcript ${JSON.stringify((await stack.transcript(conversationId)).map((m) => [m.seq, m.role, m.replyTo]))}`,
    timeoutMs,
  );
  await eventually(
    () => (stack.sentTo(channel, chatId).length >= outbound(transcript).length ? true : undefined),
    () => `${channel}: ${stack.sentTo(channel, chatId).length} of ${outbound(transcript).length} replies sent`,
    timeoutMs,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { transcript: await stack.transcript(conversationId), sent: stack.sentTo(channel, chatId) };
}

describe("a message from each messaging platform", () => {
  it.each(CHANNEL_NAMES)("%s: signed as the platform signs it, answered at the platform in order, once; its repeat makes no second turn", async (channel) => {
    const { chatId, messageId } = newChat(channel);
    const first = { chatId, messageId: messageId(), text: "hi" };
    const second = { chatId, messageId: messageId(), text: "where is my order ORD-4820193?" };
    // The webhook answers each at once, the turns running behind it (Slack waits 3 s, WeChat 5 s).
    const answers = [await timedDeliver(channel, first), await timedDeliver(channel, second)];
    for (const answer of answers) expect(answer.status, await answer.clone().text()).toBe(200);
    if (channel === "wechat") expect(await answers[0]!.text()).toBe("success");
    // The platform delivers the first message again (Slack marks its retries).
    expect((await timedDeliver(channel, first, { retryNum: 1 })).status).toBe(200);

    const { transcript, sent } = await settled(channel, chatId, 2);
    expect(transcript.filter((message) => message.role === "user").map((message) => message.text)).toEqual(["hi", "where is my order ORD-4820193?"]);
    // The second message's seq depends on whether the first one's reply was stored before it came.
    const asked = transcript.find((message) => message.role === "user" && message.text === second.text);
    expect(transcript.find((message) => message.replyTo === asked?.seq)?.text).toMatch(/ORD-4820193/);
    expectDelivered(channel, transcript, sent);
    expect(sent.map((message) => message.at)).toEqual([...sent.map((message) => message.at)].sort((a, b) => a - b));
  });

  it("WeChat, without buttons: a number typed in answer to the numbered list is that option", async () => {
    const { chatId, messageId } = newChat("wechat");
    await stack.deliver("wechat", { chatId, messageId: messageId(), text: "hi" });
    await settled("wechat", chatId, 1);
    expect(stack.sentTo("wechat", chatId)[0]?.text).toMatch(/\n\n1\. Track my order\n2\. Return an item\n3\. Talk to a person$/);
    await stack.deliver("wechat", { chatId, messageId: messageId(), text: "２" });
    const { transcript } = await settled("wechat", chatId, 2);
    expect(transcript.filter((message) => message.role === "user").map((message) => message.text)).toEqual(["hi", "Return an item"]);
  });
});

describe("a request the platform did not sign", () => {
  const forgeries: [string, ChannelName, (chat: ReturnType<typeof newChat>) => Promise<Response>][] = [
    ["slack: signed with another secret", "slack", (chat) => stack.deliver("slack", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { wrongSecret: "not-the-signing-secret" })],
    ["slack: correctly signed, six minutes old (a replay)", "slack", (chat) => stack.deliver("slack", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { timestamp: Math.floor(Date.now() / 1000) - 360 })],
    ["teams: a token for another bot", "teams", (chat) => stack.deliver("teams", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { teamsToken: (claims) => stack.demo.channels.signTeamsToken({ ...claims, appId: "another-app" }) })],
    ["teams: an expired token", "teams", (chat) => stack.deliver("teams", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { teamsToken: (claims) => stack.demo.channels.signTeamsToken({ ...claims, expiresInSeconds: -600 }) })],
    ["telegram: the wrong secret token", "telegram", (chat) => stack.deliver("telegram", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { wrongSecret: "wrong_secret" })],
    ["whatsapp: signed with another app secret", "whatsapp", (chat) => stack.deliver("whatsapp", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { wrongSecret: "another-app-secret" })],
    ["line: signed with another channel secret", "line", (chat) => stack.deliver("line", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { wrongSecret: "another-channel-secret" })],
    ["wechat: signed with another token", "wechat", (chat) => stack.deliver("wechat", { chatId: chat.chatId, messageId: chat.messageId(), text: "hi" }, { wrongSecret: "another-token" })],
  ];

  it.each(forgeries)("%s: 401 JSON, and nothing is stored", async (_name, channel, forge) => {
    const chat = newChat(channel);
    const response = await forge(chat);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    const conversationId = await stack.conversationOf(channel, chat.chatId);
    const summary = await stack.stratus.fetch(`/v1/conversations/${conversationId}`, { headers: { Authorization: `Bearer ${OPERATOR_API_KEY}` } });
    expect(summary.status).toBe(404);
    expect(stack.sentTo(channel, chat.chatId)).toEqual([]);
  });

  it("answers 404 for a channel or bot that is not listed, and 405 for a GET where the platform has no handshake", async () => {
    expect((await stack.stratus.fetch("/v1/channels/signal/ecommerce", { method: "POST", body: "{}" })).status).toBe(404);
    expect((await stack.stratus.fetch("/v1/channels/slack/finance", { method: "POST", body: "{}" })).status).toBe(404);
    const get = await stack.stratus.fetch("/v1/channels/slack/ecommerce");
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });

  it("answers the set-up handshakes: Slack's url_verification, WhatsApp's hub.challenge and WeChat's echostr, only with the right secret", async () => {
    const { secrets } = stack;
    const whatsapp = (token: string) =>
      stack.stratus.fetch(`/v1/channels/whatsapp/ecommerce?${new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444" }).toString()}`);
    expect(await (await whatsapp(secrets.WHATSAPP_VERIFY_TOKEN ?? "")).text()).toBe("1158201444");
    expect((await whatsapp("a-guess")).status).toBe(401);

    const timestamp = String(Math.floor(Date.now() / 1000));
    const wechat = (token: string) => {
      const signature = createHash("sha1").update([token, timestamp, "77"].sort().join("")).digest("hex");
      return stack.stratus.fetch(`/v1/channels/wechat/ecommerce?${new URLSearchParams({ signature, timestamp, nonce: "77", echostr: "4213541251" }).toString()}`);
    };
    expect(await (await wechat(secrets.WECHAT_TOKEN ?? "")).text()).toBe("4213541251");
    expect((await wechat("another-token")).status).toBe(401);

    const body = JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const slack = (secret: string) =>
      stack.stratus.fetch("/v1/channels/slack/ecommerce", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}` },
        body,
      });
    expect(await (await slack(secrets.SLACK_SIGNING_SECRET ?? "")).text()).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    expect((await slack("another-secret")).status).toBe(401);
  });
});

describe("a handoff in a channel conversation", () => {
  it("carries the operator's messages to the chat, keeps the bot silent, and lists the conversation's channel in the inbox", async () => {
    const channel = "line";
    const { chatId, messageId } = newChat(channel);
    await stack.deliver(channel, { chatId, messageId: messageId(), text: "hi" });
    await settled(channel, chatId, 1);
    const conversationId = await stack.conversationOf(channel, chatId);
    const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" };
    expect((await stack.stratus.fetch(`/v1/conversations/${conversationId}/handoff`, { method: "POST", headers: operator })).status).toBe(200);
    await stack.deliver(channel, { chatId, messageId: messageId(), text: "I need a person please" });
    for (const text of ["Hi, I'm Dana from support.", "Let me look at your order."]) {
      expect((await stack.stratus.fetch(`/v1/conversations/${conversationId}/agent-messages`, { method: "POST", headers: operator, body: JSON.stringify({ text }) })).status).toBe(201);
    }
    const sent = await eventually(
      () => {
        const all = stack.sentTo(channel, chatId);
        return all.length >= 3 ? all : undefined;
      },
      () => JSON.stringify(stack.sentTo(channel, chatId)),
    );
    expect(sent.slice(1).map((message) => message.text)).toEqual(["Hi, I'm Dana from support.", "Let me look at your order."]);
    // The inbox lists it among those waiting for a person (its directory entry travels on a queue), with its channel.
    const listed = await eventually(
      async () => {
        const inbox = await stack.stratus.fetch("/v1/operator/conversations?state=handed_off&bot=ecommerce&limit=100", { headers: operator });
        const { conversations } = (await inbox.json()) as { conversations: { id: string; channel: string }[] };
        return conversations.find((entry) => entry.id === conversationId);
      },
      () => "the conversation never appeared in the inbox",
    );
    expect(listed.channel).toBe("line");

    expect((await stack.stratus.fetch(`/v1/conversations/${conversationId}/release`, { method: "POST", headers: operator })).status).toBe(200);
    await stack.deliver(channel, { chatId, messageId: messageId(), text: "where is my order ORD-4820193?" });
    const { transcript, sent: after } = await settled(channel, chatId, 3);
    // The bot again, once given back: its replies (an anonymous order question gets the status and
    // how to prove the order is theirs) follow the last user message.
    const roles = transcript.map((message) => message.role);
    expect(roles.slice(0, 6)).toEqual(["user", "bot", "user", "agent", "agent", "user"]);
    expect(roles.slice(6).length).toBeGreaterThan(0);
    expect(roles.slice(6).every((role) => role === "bot")).toBe(true);
    expectDelivered(channel, transcript, after);
  });
});

describe("a platform that answers 429", () => {
  it("delays the reply as the platform asks, on every platform, and sends it once", async () => {
    await Promise.all(
      CHANNEL_NAMES.map(async (channel) => {
        const { chatId, messageId } = newChat(channel);
        // The next sends to this platform are refused with its own rate-limit answer: two of them with
        // "retry after 1 s" (a Retry-After header, Telegram's retry_after); WeChat's errcode 45011 names
        // no delay, and the sender waits a minute, as WeChat's per-minute limit asks.
        const refusals = channel === "wechat" ? 1 : 2;
        const plan = await fetch(`${stack.demo.url}/_fail?channel=${channel}&status=429&count=${refusals}&retryAfter=1`, { method: "POST" });
        expect(plan.status).toBe(200);
        const started = Date.now();
        await stack.deliver(channel, { chatId, messageId: messageId(), text: "hi" });
        const { transcript, sent } = await settled(channel, chatId, 1, 120_000);
        expectDelivered(channel, transcript, sent);
        expect(sent[0]!.at - started, channel).toBeGreaterThanOrEqual(channel === "wechat" ? 60_000 : 2000);
      }),
    );
  }, 150_000);
});

describe("a platform that fails", () => {
  it("gets the reply again after a 5xx, and shows it once", async () => {
    await Promise.all(
      (["slack", "telegram"] as const).map(async (channel) => {
        const { chatId, messageId } = newChat(channel);
        expect((await fetch(`${stack.demo.url}/_fail?channel=${channel}&status=503&count=2`, { method: "POST" })).status).toBe(200);
        await stack.deliver(channel, { chatId, messageId: messageId(), text: "hi" });
        const { transcript, sent } = await settled(channel, chatId, 1);
        expectDelivered(channel, transcript, sent);
      }),
    );
  });
});

describe("a published bot version", () => {
  it("is what a new chat's conversation starts on, while a chat that began before the release keeps its version", async () => {
    const channel = "telegram";
    const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };
    const botVersion = async (chatId: string) => {
      const response = await stack.stratus.fetch(`/v1/conversations/${await stack.conversationOf(channel, chatId)}`, { headers: operator });
      return ConversationSummarySchema.parse(await response.json()).botVersion;
    };
    const before = newChat(channel);
    await stack.deliver(channel, { chatId: before.chatId, messageId: before.messageId(), text: "hi" });
    await settled(channel, before.chatId, 1);

    // The ecommerce bot with a greeting that says which version it is, published and released to everyone.
    const document = builtInBotDocument(BOT);
    const greeting = (document.bot.responses as Record<string, Record<string, { text: string[] }>>).utter_greet!.en!;
    greeting.text = greeting.text.map((text) => `(v2) ${text}`);
    const { version } = await publishBot(stack.stratus, BOT, document);
    await releaseBot(stack.stratus, BOT, version);
    try {
      const after = newChat(channel);
      // Its first message reads the release before the conversation is created: still answered at once.
      expect((await timedDeliver(channel, { chatId: after.chatId, messageId: after.messageId(), text: "hi" })).status).toBe(200);
      await stack.deliver(channel, { chatId: before.chatId, messageId: before.messageId(), text: "hi" });
      const { sent } = await settled(channel, after.chatId, 1);
      expect(sent[0]?.text).toMatch(/^\(v2\) /);
      expect(await botVersion(after.chatId)).toBe(version);
      const { sent: earlier } = await settled(channel, before.chatId, 2);
      expect(earlier.map((message) => message.text.startsWith("(v2)"))).toEqual([false, false]);
      expect(await botVersion(before.chatId)).toBe(1);
    } finally {
      await releaseBot(stack.stratus, BOT, 1);
    }
  }, 90_000);
});
