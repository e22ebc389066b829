// One message through the whole pipeline — gateway → conversation DO → intent queue → intent
// Worker → dialogue queue → dialogue Worker → DO → client — over HTTP and over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript, waitForTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket, mintSocketTicket } from "../../devkit/websocket-client.ts";
import { memoryStore, StratusClient } from "../../clients/js/src/index.ts";

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
      // An empty conversation replays nothing: `ready` first, then the live messages.
      expect(frames[0]).toEqual({ type: "ready", lastSeq: 0, handedOff: false });
      expect(frames[1]?.message).toMatchObject({ seq: 1, role: "user", text: "hello" });
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

  it("replays at most a page when it opens, then says where the conversation is: a client behind reads the rest", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" };
    await stratus.fetch(`/v1/conversations/${conversation.id}/handoff`, { method: "POST", headers: operator });
    for (let i = 1; i <= 130; i++) {
      await stratus.fetch(`/v1/conversations/${conversation.id}/agent-messages`, { method: "POST", headers: operator, body: JSON.stringify({ text: `note ${i}` }) });
    }
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    const frames = await socket.waitFor((all) => all.some((frame) => frame.type === "ready"));
    expect(frames.filter((frame) => frame.type === "message").map((frame) => frame.message?.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(frames.at(-1)).toEqual({ type: "ready", lastSeq: 130, handedOff: true });
    socket.close();
    // The SDK reads what the replay left out over HTTP: the whole transcript, once each, in order.
    const conversationStore = memoryStore();
    await conversationStore.save({ conversation: { ...conversation, tokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(), timezone: "UTC", createdAt: new Date().toISOString() }, outbox: [] });
    const resumed = new StratusClient({ baseUrl: stratus.url, store: conversationStore });
    const all = new Promise<void>((resolve) => resumed.on("message", () => resumed.messages.length === 130 && resolve()));
    await resumed.start();
    await all;
    expect(resumed.messages.map((message) => message.seq)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    resumed.close();
  });

  it("answers a malformed frame with an error frame and stores nothing", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const client = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    client.send("not json");
    client.send({ type: "message", text: "   " });
    const frames = await client.waitFor((all) => all.filter((f) => f.type === "error").length >= 2);
    expect(frames.flatMap((f) => (f.type === "error" ? [f.error?.code] : []))).toEqual(["invalid_frame", "invalid_frame"]);
    expect(await readTranscript(stratus, conversation)).toEqual([]);
    client.close();
  });

  it("refuses an upgrade without the conversation's token", async () => {
    const conversation = await stratus.createConversation();
    await expect(ConversationSocket.open(stratus.url, conversation.id, "wrong")).rejects.toThrow();
  });
});

describe("an operator revokes a conversation's tokens", () => {
  it("its token gets 401 everywhere, its open sockets close, and it cannot be renewed or open a socket again", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    const closed = new Promise<number>((resolve) => socket.onClose(resolve));
    const revoked = await stratus.fetch(`/v1/conversations/${conversation.id}/revoke-tokens`, { method: "POST", headers: { Authorization: `Bearer ${OPERATOR_API_KEY}` } });
    expect(revoked.status).toBe(200);
    expect(await closed).toBe(1008);
    expect((await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${conversation.token}` } })).status).toBe(401);
    expect((await postMessage(stratus, conversation, { text: "hello" })).status).toBe(401);
    const renew = await stratus.fetch(`/v1/conversations/${conversation.id}/token`, { method: "POST", headers: { Authorization: `Bearer ${conversation.token}` } });
    expect(renew.status).toBe(401);
    // A ticket minted with the revoked token (the gateway cannot know without asking) opens nothing.
    const ticket = await mintSocketTicket(stratus.url, conversation.id, conversation.token);
    await expect(ConversationSocket.openWithTicket(stratus.url, conversation.id, ticket)).rejects.toThrow();
    // The operator still reads it.
    expect((await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${OPERATOR_API_KEY}` } })).status).toBe(200);
    // Revocation needs the operator key.
    const byUser = await stratus.fetch(`/v1/conversations/${conversation.id}/revoke-tokens`, { method: "POST", headers: { Authorization: `Bearer ${conversation.token}` } });
    expect(byUser.status).toBe(401);
  });
});

describe("socket tickets", () => {
  it("open one socket, once: the same ticket again is refused", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const ticket = await mintSocketTicket(stratus.url, conversation.id, conversation.token);
    const first = await ConversationSocket.openWithTicket(stratus.url, conversation.id, ticket);
    await first.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
    await expect(ConversationSocket.openWithTicket(stratus.url, conversation.id, ticket)).rejects.toThrow();
    first.close();
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
