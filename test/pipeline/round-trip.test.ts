// One message through the whole pipeline — gateway → conversation DO → intent queue → intent
// Worker → dialogue queue → dialogue Worker → DO → client — over HTTP and over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript, waitForTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

describe("HTTP round trip", () => {
  it("creates a conversation with an unguessable id and a token", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    expect(conversation.id).toMatch(/^[0-9a-f]{32}$/);
    expect(conversation.token.length).toBeGreaterThan(20);
    expect(conversation).toMatchObject({ bot: "ecommerce", locale: "en" });
    const other = await stratus.createConversation();
    expect(other.id).not.toBe(conversation.id);
    expect(other.bot).toBe("ecommerce"); // the default bot
    expect(other.locale).toBeNull(); // detected per message
  });

  it("answers with ?wait and records both messages in order", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const { message, replies } = await stratus.say(conversation, "hello");
    expect(message).toMatchObject({ seq: 1, role: "user", text: "hello" });
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply).toMatchObject({ role: "bot", replyTo: 1 });
      expect(reply.text.length).toBeGreaterThan(0);
      expect(reply.nlu?.intent.name).toBe("greet");
    }
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.map((m) => [m.seq, m.role])).toEqual([[1, "user"], ...replies.map((r) => [r.seq, "bot"])]);
  });

  it("accepts without ?wait (202) and the reply can be polled", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const response = await postMessage(stratus, conversation, { text: "  hi there  " });
    expect(response.status).toBe(202);
    const { message } = (await response.json()) as { message: { seq: number; text: string } };
    expect(message.text).toBe("hi there"); // trimmed
    const transcript = await waitForTranscript(stratus, conversation, (messages) => messages.some((m) => m.role === "bot"));
    expect(transcript[0]).toMatchObject({ seq: 1, role: "user" });
    expect(transcript.filter((m) => m.role === "bot").every((m) => m.replyTo === 1)).toBe(true);
  });

  it("pages the transcript with after and limit", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    await stratus.say(conversation, "hello");
    await stratus.say(conversation, "thanks");
    const all = await readTranscript(stratus, conversation);
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?after=1&limit=2`, {
      headers: { Authorization: `Bearer ${conversation.token}` },
    });
    const { messages } = (await response.json()) as { messages: { seq: number }[] };
    expect(messages.map((m) => m.seq)).toEqual(all.slice(1, 3).map((m) => m.seq));
  });

  it("parses text synchronously through the intent Worker", async () => {
    const response = await stratus.fetch("/v1/nlu/parse", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "where is my order ORD-4820193", locale: "en" }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { intent: { name: string }; intents: unknown[]; entities: { entity: string; value: unknown }[]; locale: string };
    expect(result.intent.name).toBe("order_status");
    expect(result.locale).toBe("en");
    expect(result.entities).toContainEqual(expect.objectContaining({ entity: "order_id", value: "ORD-4820193" }));
  });
});

describe("WebSocket", () => {
  it("pushes the user's message and the bot's reply to every connected client", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const sender = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    const watcher = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    sender.send({ type: "message", text: "hello", clientMessageId: "c-1" });
    for (const client of [sender, watcher]) {
      const frames = await client.waitFor((all) => all.some((f) => f.message?.role === "bot"));
      expect(frames[0]?.message).toMatchObject({ seq: 1, role: "user", text: "hello" });
      expect(frames.find((f) => f.message?.role === "bot")?.message?.replyTo).toBe(1);
    }
    sender.close();
    watcher.close();
  });

  it("replays the messages after `after` before live ones", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    await stratus.say(conversation, "hello");
    const transcript = await readTranscript(stratus, conversation);
    const late = await ConversationSocket.open(stratus.url, conversation.id, conversation.token, 1);
    await late.waitFor((frames) => frames.length >= transcript.length - 1);
    expect(late.messages().map((m) => m.seq)).toEqual(transcript.slice(1).map((m) => m.seq));
    late.close();
  });

  it("answers a malformed frame with an error frame and stores nothing", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const client = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    client.send("not json");
    client.send({ type: "message", text: "   " });
    const frames = await client.waitFor((all) => all.length >= 2);
    expect(frames.map((f) => f.error?.code)).toEqual(["invalid_frame", "invalid_frame"]);
    expect(await readTranscript(stratus, conversation)).toEqual([]);
    client.close();
  });

  it("refuses an upgrade without the conversation's token", async () => {
    const conversation = await stratus.createConversation();
    await expect(ConversationSocket.open(stratus.url, conversation.id, "wrong")).rejects.toThrow();
  });
});

describe("browsers on other origins", () => {
  it("may send a trace context and read Retry-After and the trace id (CORS)", async () => {
    const preflight = await stratus.fetch("/v1/conversations", {
      method: "OPTIONS",
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, traceparent" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("traceparent");
    const created = await stratus.fetch("/v1/conversations", {
      method: "POST",
      headers: { Origin: "https://shop.example", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
  });
});

describe("static and meta routes", () => {
  it("serves the demo shop with the widget, the chat page, health and the OpenAPI document", async () => {
    const shop = await stratus.fetch("/");
    expect(shop.status).toBe(200);
    expect(await shop.text()).toMatch(/<script src="\/widget\/v[\d.]+\/stratus-widget\.js"/);
    const page = await stratus.fetch("/chat");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Stratus chat</title>");
    expect(await (await stratus.fetch("/healthz")).json()).toEqual({ status: "ok" });
    const doc = (await (await stratus.fetch("/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/conversations", "/v1/conversations/{id}/messages", "/v1/conversations/{id}/ws", "/v1/nlu/parse"]),
    );
  });
});
