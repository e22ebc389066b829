// The client SDK (clients/js) in Node against the real Workers on workerd, through a loopback
// proxy that breaks the network the ways real networks break (test/harness/tcp-proxy.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StratusClient, memoryStore, type ConversationStore, type StratusClientOptions } from "../../clients/js/src/index.ts";
import { OPERATOR_API_KEY, startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { readTranscript } from "../../devkit/transcript.ts";
import type { Message } from "../../shared/schemas/index.ts";
import { startTcpProxy, type TcpProxy } from "../harness/tcp-proxy.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

const clients: StratusClient[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** A client with short backoffs (so the test does not wait seconds per reconnect) and everything it emits recorded. */
function newClient(options: Partial<StratusClientOptions> & { baseUrl: string }) {
  const client = new StratusClient({ locale: "en", backoff: { initialDelayMs: 50, maxDelayMs: 500 }, ...options });
  clients.push(client);
  const seen = { messages: [] as Message[], handoffs: [] as boolean[], statuses: [] as string[], errors: [] as string[] };
  client.on("message", (message) => seen.messages.push(message));
  client.on("handoff", ({ handedOff }) => seen.handoffs.push(handedOff));
  client.on("status", ({ status }) => seen.statuses.push(status));
  client.on("error", (error) => seen.errors.push(`${error.code}: ${error.message}`));
  return { client, seen };
}

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const userTexts = (messages: readonly Message[]) => messages.filter((m) => m.role === "user").map((m) => m.text);
/** Every user message has at least one bot reply. */
const allAnswered = (messages: readonly Message[], users: number) =>
  userTexts(messages).length === users &&
  messages.filter((m) => m.role === "user").every((user) => messages.some((m) => m.role === "bot" && m.replyTo === user.seq));

const operator = (conversationId: string, action: string, body?: unknown) =>
  stratus.fetch(`/v1/conversations/${conversationId}/${action}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("client SDK on the real stack", () => {
  it("survives a socket killed mid-conversation and lost answers: every message once, in order, none missing", async () => {
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    const { client, seen } = newClient({ baseUrl: proxy.url });
    const conversation = await client.start();
    await until("connected", () => client.status === "connected");
    const texts = ["hello", "thanks", "hi", "good morning", "thank you", "hello again"];

    client.send(texts[0] ?? "");
    await until("the first reply", () => allAnswered(seen.messages, 1));
    client.send(texts[1] ?? "");
    // The socket dies with the second message in flight; two more are written while the network is down.
    proxy.cut();
    client.send(texts[2] ?? "");
    client.send(texts[3] ?? "");
    await until("the client notices", () => client.status === "reconnecting");
    await sleep(800);
    expect(client.outbox.length).toBeGreaterThanOrEqual(2);
    proxy.restore();
    await until("four messages answered after the reconnect", () => allAnswered(seen.messages, 4));

    // The server stores the fifth message but its answers are lost: the client resends the same id.
    proxy.loseResponses();
    client.send(texts[4] ?? "");
    await sleep(600);
    proxy.restore();
    client.send(texts[5] ?? "");
    await until("all six answered", () => allAnswered(seen.messages, 6) && client.outbox.length === 0);

    const server = await readTranscript(stratus, conversation);
    await until("the transcript is complete on the client", () => seen.messages.length === server.length);
    const seqs = seen.messages.map((m) => m.seq);
    const duplicates = seqs.length - new Set(seqs).size;
    const gaps = server.filter((m) => !seqs.includes(m.seq)).length;
    console.log(
      `reconnect test: sent ${texts.length}, received ${seen.messages.length} ` +
        `(${userTexts(seen.messages).length} user, ${seen.messages.length - userTexts(seen.messages).length} bot), ` +
        `duplicates ${duplicates}, gaps ${gaps}, connections broken by the proxy ${proxy.broken}`,
    );
    expect(seqs).toEqual(server.map((m) => m.seq));
    expect(duplicates).toBe(0);
    expect(gaps).toBe(0);
    expect(userTexts(server)).toEqual(texts);
    expect(seen.statuses).toContain("reconnecting");
    expect(proxy.broken).toBeGreaterThan(0);
  });

  it("resumes a stored conversation with its history, and sends what was queued before the restart exactly once", async () => {
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    const store: ConversationStore = memoryStore();
    const first = newClient({ baseUrl: proxy.url, store });
    const conversation = await first.client.start();
    first.client.send("hello");
    await until("the reply", () => allAnswered(first.seen.messages, 1));
    // The answer to the next message is lost, then the app is closed with it still in the outbox.
    proxy.loseResponses();
    first.client.send("thanks");
    await sleep(400);
    expect(first.client.outbox.map((m) => m.text)).toEqual(["thanks"]);
    first.client.close();
    proxy.restore();

    const second = newClient({ baseUrl: stratus.url, store });
    expect((await second.client.start()).id).toBe(conversation.id);
    await until("the resent message is answered", () => allAnswered(second.seen.messages, 2));
    const server = await readTranscript(stratus, conversation);
    expect(userTexts(server)).toEqual(["hello", "thanks"]);
    expect(second.seen.messages.map((m) => m.seq)).toEqual(server.map((m) => m.seq));
    expect(second.client.outbox).toEqual([]);
  });

  it("starts afresh when the stored conversation is unknown to the server", async () => {
    const unknownId = "e".repeat(32);
    const store = memoryStore();
    await store.save({
      conversation: { id: unknownId, ...(await stratus.tokenFor(unknownId)), bot: "ecommerce", locale: "en", timezone: "UTC", createdAt: new Date().toISOString() },
      outbox: [],
    });
    const { client } = newClient({ baseUrl: stratus.url, store });
    const conversation = await client.start();
    expect(conversation.id).not.toBe(unknownId);
    expect((await store.load())?.conversation.id).toBe(conversation.id);
  });

  it("hears about a handoff live, receives the agent, and the bot again after release", async () => {
    const { client, seen } = newClient({ baseUrl: stratus.url });
    const conversation = await client.start();
    await until("connected", () => client.status === "connected");
    expect((await operator(conversation.id, "handoff")).status).toBe(200);
    await until("the handoff frame", () => client.handedOff);
    expect((await operator(conversation.id, "agent-messages", { text: "Hi, this is Dana." })).status).toBe(201);
    await until("the agent's message", () => seen.messages.some((m) => m.role === "agent"));
    expect((await operator(conversation.id, "release")).status).toBe(200);
    await until("the release frame", () => !client.handedOff);
    client.send("hello");
    await until("the bot answers again", () => seen.messages.some((m) => m.role === "bot"));
    expect(seen.handoffs).toEqual([true, false]);
  });

  it("detects a socket that went silent (half-open) by its heartbeat and reconnects", async () => {
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    const { client, seen } = newClient({ baseUrl: proxy.url, heartbeatMs: 300 });
    const conversation = await client.start();
    await until("connected", () => client.status === "connected");
    proxy.freeze();
    expect((await operator(conversation.id, "agent-messages", { text: "Still there?" })).status).toBe(201);
    await until("the message written while the socket was silent", () => seen.messages.some((m) => m.text === "Still there?"), 10_000);
    expect(seen.statuses).toContain("reconnecting");
  });

  it("long-polls when WebSockets are blocked: sends get their replies, agent messages and handoffs arrive by polling", async () => {
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    proxy.blockWebSockets();
    const { client, seen } = newClient({ baseUrl: proxy.url, pollIntervalMs: 200 });
    const conversation = await client.start();
    await until("the switch to long-polling", () => client.transport === "long-poll");
    client.send("hello");
    await until("the reply", () => allAnswered(seen.messages, 1));
    await operator(conversation.id, "handoff");
    await operator(conversation.id, "agent-messages", { text: "A person here." });
    await until("the agent and the handoff", () => client.handedOff && seen.messages.some((m) => m.role === "agent"));
    await operator(conversation.id, "release");
    await until("the release", () => !client.handedOff);
    const server = await readTranscript(stratus, conversation);
    expect(seen.messages.map((m) => m.seq)).toEqual(server.map((m) => m.seq));
  });

  it("reports a message the server refuses for good, and drops it from the outbox", async () => {
    const { client, seen } = newClient({ baseUrl: stratus.url });
    await client.start();
    const refused = client.send("x".repeat(5000));
    await until("the refusal", () => seen.errors.length > 0);
    expect(seen.errors[0]).toMatch(/^invalid_request: /);
    expect(client.outbox.some((m) => m.clientMessageId === refused.clientMessageId)).toBe(false);
  });
});
