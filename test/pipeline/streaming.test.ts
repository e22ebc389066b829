// Streamed LLM replies (docs/streaming.md) on the real Workers, with the LLM fallback on against the
// loopback OpenAI-compatible server that streams (devkit/llm-server.ts): what a WebSocket client, a
// waiting HTTP request asking for server-sent events and the SDK see, what a broken stream ends in,
// what is stored, and how many requests the conversation object gets per streamed reply.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StratusClient, type StreamingReply } from "../../clients/js/src/index.ts";
import { startLlmServer, type LlmServer } from "../../devkit/llm-server.ts";
import { startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket, type ReceivedFrame } from "../../devkit/websocket-client.ts";
import { ReplyEventSchema, type Message, type ReplyEvent } from "../../shared/schemas/index.ts";
import { ServerSentEventParser } from "../../shared/server-sent-events.ts";
import { startTcpProxy, type TcpProxy } from "../harness/tcp-proxy.ts";

/** What the model says: 52 words (some 300 characters), streamed one word per chunk. */
const ANSWER =
  "I could not find that in our help pages, but here is what usually helps: check the order confirmation e-mail for the tracking link, " +
  "make sure the delivery address is complete, and if the parcel still has not moved after three working days, write to our support team with your order number.";
/** Out of scope for the shop, no FAQ entry, no help page: the LLM fallback answers. */
const UNKNOWN = "zqxv plorbin gruntle";
const WORDS = ANSWER.split(" ").length;

let llm: LlmServer;
let stratus: Stratus;
beforeAll(async () => {
  llm = await startLlmServer({ answer: () => ANSWER, chunkDelayMs: 40 });
  stratus = await startStratus({ dialogueVars: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "test-llm-key", LLM_MODEL: "test-model" } });
});
afterAll(async () => {
  await stratus?.close();
  await llm?.close();
});
afterEach(() => llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 40 }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

/** The requests the dialogue Worker sent the conversation object while streaming turn `seq` (its `turn_decided` log line). */
function streamRequestsOf(conversation: ConversationHandle, seq: number): number | undefined {
  for (const { message } of stratus.runtimeLogs()) {
    if (!message.includes('"event":"turn_decided"') || !message.includes(conversation.id)) continue;
    const line = JSON.parse(message.slice(message.indexOf("{"))) as { seq: number; streamRequests?: number };
    if (line.seq === seq) return line.streamRequests ?? 0;
  }
  return undefined;
}

const streamFrames = (frames: ReceivedFrame[]) => frames.filter((frame) => frame.type.startsWith("stream_"));

describe("a streamed LLM reply", () => {
  it("reaches a WebSocket client delta by delta, then as the stored reply, in a handful of object requests", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    await socket.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
    const sentAt = performance.now();
    socket.send({ type: "message", text: UNKNOWN });
    await socket.waitFor((all) => all.some((frame) => frame.type === "stream_delta"));
    const firstDeltaAt = performance.now();
    const frames = await socket.waitFor((all) => all.some((frame) => frame.message?.role === "bot"));
    const storedAt = performance.now();
    socket.close();
    // The first words show while the model is still writing (~2 s for the whole answer), not once it is done.
    expect(storedAt - firstDeltaAt).toBeGreaterThan(1000);

    const user = frames.find((frame) => frame.message?.role === "user")?.message;
    const stream = streamFrames(frames);
    const [start, ...rest] = stream;
    const end = rest.at(-1);
    const deltas = rest.slice(0, -1);
    expect(start).toMatchObject({ type: "stream_start", replyTo: user?.seq, text: "", next: 0 });
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.every((frame) => frame.type === "stream_delta" && frame.id === start?.id)).toBe(true);
    expect(deltas.map((frame) => frame.index)).toEqual(deltas.map((_, i) => i));
    const streamed = deltas.map((frame) => frame.text).join("");
    expect(ANSWER.startsWith(streamed)).toBe(true);

    // The stream ends naming the stored reply, whose message frame comes right after: the whole answer.
    const reply = frames.at(-1)?.message;
    expect(end).toEqual({ type: "stream_end", id: start?.id, replyTo: user?.seq, messageId: reply?.id });
    expect(frames.indexOf(end ?? { type: "ready" })).toBe(frames.length - 2);
    expect(reply).toMatchObject({ role: "bot", text: ANSWER, response: "llm_fallback", replyTo: user?.seq });
    const stored = await readTranscript(stratus, conversation);
    expect(stored.at(-1)).toEqual(reply);
    expect(stored.filter((message) => message.role === "bot")).toHaveLength(1);

    // One object request per delta the socket saw, far fewer than the model's chunks.
    const requests = streamRequestsOf(conversation, user?.seq ?? 0);
    console.log(
      `streamed reply over a socket: ${WORDS} model chunks in ~${(WORDS * 40) / 1000} s → ${requests} object requests, ${deltas.length} deltas; ` +
        `first words ${Math.round(firstDeltaAt - sentAt)} ms after sending, whole reply ${Math.round(storedAt - sentAt)} ms`,
    );
    expect(requests).toBe(deltas.length);
    expect(requests).toBeLessThanOrEqual(10);
  });

  it("reaches a waiting HTTP request that asks for server-sent events, and a plain waiting request gets the whole reply as JSON", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?wait=20`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}`, Accept: "text/event-stream" },
      body: JSON.stringify({ text: UNKNOWN }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    expect(events[0]).toMatchObject({ type: "message", message: { role: "user", text: UNKNOWN } });
    expect(events[1]).toMatchObject({ type: "stream_start", text: "", next: 0 });
    const deltas = events.filter((event) => event.type === "stream_delta");
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    const final = events.at(-1);
    expect(final?.type).toBe("replies");
    const replies = final?.type === "replies" ? final.replies : [];
    expect(replies.map((reply) => reply.text)).toEqual([ANSWER]);
    expect(events.at(-2)).toMatchObject({ type: "stream_end", messageId: replies[0]?.id });
    expect((await readTranscript(stratus, conversation)).at(-1)).toEqual(replies[0]);

    // Another message the bot does not understand (not "… again": the shop's NLU hears "again" as a
    // question about stock coming back).
    const plain = await postMessage(stratus, conversation, { text: `${UNKNOWN} blorf` }, "?wait=20");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await plain.json()) as { message: Message; replies: Message[] };
    expect(body.replies.map((reply) => reply.text)).toEqual([ANSWER]);
  });

  it("picks up a waiting request's event stream that broke off: the text so far, the rest, nothing twice, then the stored reply", async () => {
    // Held after 10 words until the request is made again, so there is a rest to pick up however slow the machine.
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 40, holdAfterChunks: 10 });
    const conversation = await stratus.createConversation({ locale: "en" });
    const auth = { Authorization: `Bearer ${conversation.token}` };
    const cut = new AbortController();
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?wait=20`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...auth, Accept: "text/event-stream" },
      body: JSON.stringify({ text: UNKNOWN }),
      signal: cut.signal,
    });
    // Read until a few words have come, then drop the request, as a phone losing its network would.
    const before: ReplyEvent[] = await readEvents(response, (events) => events.filter((event) => event.type === "stream_delta").length >= 2);
    cut.abort();
    const message = before[0]?.type === "message" ? before[0].message : undefined;
    if (!message) throw new Error("the stream did not start with the message");
    const shownBefore = before.filter((event) => event.type === "stream_delta").map((event) => (event.type === "stream_delta" ? event.text : "")).join("");

    const resumed = await stratus.fetch(`/v1/conversations/${conversation.id}/messages/${message.seq}/replies?wait=20`, { headers: { ...auth, Accept: "text/event-stream" } });
    expect(resumed.status).toBe(200);
    llm.release();
    const after = await readEvents(resumed);
    expect(after[0]).toMatchObject({ type: "message", message: { seq: message.seq, text: UNKNOWN } });
    // The stream goes on: its text so far (at least what was shown before the cut) and the index of the next piece …
    const start = after[1];
    if (start?.type !== "stream_start") throw new Error(`expected stream_start, got ${start?.type}`);
    expect(start.text.startsWith(shownBefore)).toBe(true);
    expect(start.next).toBeGreaterThanOrEqual(2);
    const rest = after.filter((event) => event.type === "stream_delta").map((event) => (event.type === "stream_delta" ? event.text : ""));
    // … and more follows, once: the text so far and the deltas after it read as the answer's beginning, no piece
    // twice (the last piece comes with the stored reply, as on a socket).
    expect(rest.length).toBeGreaterThanOrEqual(1);
    expect(ANSWER.startsWith(start.text + rest.join(""))).toBe(true);
    const final = after.at(-1);
    expect(final?.type === "replies" ? final.replies.map((reply) => reply.text) : []).toEqual([ANSWER]);

    // Asked again once answered, it gives the stored replies at once; as JSON too; another conversation's token gets 401.
    const again = await stratus.fetch(`/v1/conversations/${conversation.id}/messages/${message.seq}/replies`, { headers: auth });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { replies: Message[] }).replies.map((reply) => reply.text)).toEqual([ANSWER]);
    const other = await stratus.createConversation({ locale: "en" });
    const refused = await stratus.fetch(`/v1/conversations/${conversation.id}/messages/${message.seq}/replies`, { headers: { Authorization: `Bearer ${other.token}` } });
    expect(refused.status).toBe(401);
    const missing = await stratus.fetch(`/v1/conversations/${conversation.id}/messages/999/replies`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "message_not_found" } });
  });

  it("streams an answer from the bot's help pages written by the LLM, and the stored reply names its sources", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    // A question the shop's shipping page answers (bench/knowledge-sets/ecommerce), not a rule or an FAQ entry.
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?wait=20`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}`, Accept: "text/event-stream" },
      body: JSON.stringify({ text: "Will I have to pay tax at the door if I order to Canada?" }),
    });
    const events = await readEvents(response);
    expect(events.filter((event) => event.type === "stream_delta").length).toBeGreaterThanOrEqual(2);
    const final = events.at(-1);
    const reply = final?.type === "replies" ? final.replies[0] : undefined;
    // The model's answer, then the source line the shop's `citeInText` adds (docs/knowledge.md).
    expect(reply?.response).toBe("llm_knowledge");
    expect(reply?.text.startsWith(ANSWER)).toBe(true);
    expect(reply?.text).toContain("Source: Shipping and delivery");
    expect(reply?.sources?.length).toBeGreaterThanOrEqual(1);
    expect(reply?.sources?.[0]?.title).toMatch(/ship/i);
    // The model was given the help page's passages, numbered, to answer from.
    expect((llm.requests.at(-1)?.messages ?? []).map((message) => message.content).join("\n")).toMatch(/customs|import|duties/i);
    expect((await readTranscript(stratus, conversation)).at(-1)).toMatchObject({ response: "llm_knowledge", sources: reply?.sources });
  });

  it("that breaks off ends in the bot's fallback, shown in place of the partial text and stored", async () => {
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 40, breakAfterChunks: 12 });
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    await socket.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
    socket.send({ type: "message", text: UNKNOWN });
    const frames = await socket.waitFor((all) => all.some((frame) => frame.message?.role === "bot"));
    socket.close();
    const deltas = frames.filter((frame) => frame.type === "stream_delta");
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.map((frame) => frame.text).join("").split(" ").length).toBeLessThanOrEqual(13);
    const reply = frames.at(-1)?.message;
    expect(frames.at(-2)).toMatchObject({ type: "stream_end", messageId: reply?.id });
    expect(reply?.response).toBe("utter_rephrase");
    expect(reply?.text).not.toContain("tracking link");
    expect((await readTranscript(stratus, conversation)).at(-1)).toEqual(reply);
  });

  it("costs nothing for a turn the LLM does not answer: no stream frame, no object request", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    await socket.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
    const before = llm.requests.length;
    socket.send({ type: "message", text: "hello" });
    const frames = await socket.waitFor((all) => all.some((frame) => frame.message?.role === "bot"));
    socket.close();
    expect(frames.find((frame) => frame.message?.role === "bot")?.message?.nlu?.intent.name).toBe("greet");
    expect(streamFrames(frames)).toEqual([]);
    expect(llm.requests.length).toBe(before);
    const seq = frames.find((frame) => frame.message?.role === "user")?.message?.seq ?? 0;
    await until("the dialogue Worker's log line", () => streamRequestsOf(conversation, seq) !== undefined);
    expect(streamRequestsOf(conversation, seq)).toBe(0);
  });
});

describe("the SDK and a streamed reply", () => {
  const clients: StratusClient[] = [];
  const proxies: TcpProxy[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  function sdkClient(baseUrl: string, transport?: "long-poll") {
    const client = new StratusClient({ baseUrl, locale: "en", backoff: { initialDelayMs: 50, maxDelayMs: 300 }, ...(transport ? { transport } : {}) });
    clients.push(client);
    const seen = { streams: [] as StreamingReply[], messages: [] as Message[] };
    client.on("stream", (reply) => seen.streams.push(reply));
    client.on("message", (message) => seen.messages.push(message));
    return { client, seen };
  }

  /** An SDK client on long-polling through a loopback proxy that refuses WebSockets, started, having sent UNKNOWN. */
  async function longPollingThroughProxy() {
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    proxy.blockWebSockets();
    const { client, seen } = sdkClient(proxy.url, "long-poll");
    await client.start();
    client.send(UNKNOWN);
    return { proxy, client, seen };
  }

  it("resumes a stream after its socket was cut mid-reply: the rest, nothing twice, then the stored reply", async () => {
    // The model stops after 10 words until released, so the socket drops and comes back while it
    // writes, however slow the machine (else the reply may be done before the client is back).
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 40, holdAfterChunks: 10 });
    const proxy = await startTcpProxy(stratus.url);
    proxies.push(proxy);
    const { client, seen } = sdkClient(proxy.url);
    await client.start();
    await until("connected", () => client.status === "connected");
    client.send(UNKNOWN);
    await until("a few words streamed", () => (seen.streams.at(-1)?.text.split(" ").length ?? 0) >= 6);
    const beforeCut = seen.streams.at(-1)?.text ?? "";
    proxy.cut();
    await until("the client notices", () => client.status === "reconnecting");
    await sleep(500);
    proxy.restore();
    await until("the client is back", () => client.status === "connected");
    llm.release();
    await until("the stored reply", () => seen.messages.some((message) => message.role === "bot"));

    const updates = seen.streams.filter((reply) => !reply.done);
    const afterCut = updates.slice(updates.findIndex((reply) => reply.text === beforeCut) + 1);
    // After the reconnect the reply went on from where it was: in deltas that extend what was shown
    // before the cut, or, when the model's remaining words all fell in the stream's last piece (which
    // comes with the stored reply, not as a delta: docs/streaming.md), in the stored reply alone …
    if (afterCut.length > 0) expect(afterCut[0]?.text.length).toBeGreaterThan(beforeCut.length);
    // … every update extends the one before: no word shown twice, none lost.
    expectEachExtendsTheLast(updates);
    expect(new Set(seen.streams.map((reply) => reply.id)).size).toBe(1);
    const bot = seen.messages.filter((message) => message.role === "bot");
    expect(bot.map((message) => message.text)).toEqual([ANSWER]);
    expect(seen.streams.at(-1)).toMatchObject({ done: true, messageId: bot[0]?.id });
    expect(client.streaming).toEqual([]);
    console.log(`SDK reconnect mid-stream: ${updates.length} updates (${afterCut.length} after the reconnect), connections cut ${proxy.broken}`);
  });

  it("streams over long-polling too (the wait's server-sent events)", async () => {
    const { seen } = await longPollingThroughProxy();
    await until("the stored reply", () => seen.messages.some((message) => message.role === "bot"));
    const updates = seen.streams.filter((reply) => !reply.done);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    const bot = seen.messages.find((message) => message.role === "bot");
    expect(bot?.text).toBe(ANSWER);
    expect(seen.streams.at(-1)).toMatchObject({ done: true, messageId: bot?.id });
  });

  it("goes on streaming over long-polling after the wait's connection was cut mid-reply: the rest, nothing twice", async () => {
    // Held after 10 words until the connection is back (see the WebSocket test above).
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 40, holdAfterChunks: 10 });
    const { proxy, seen } = await longPollingThroughProxy();
    await until("a few words streamed", () => (seen.streams.at(-1)?.text.split(" ").length ?? 0) >= 6);
    const beforeCut = seen.streams.at(-1)?.text ?? "";
    proxy.cut();
    await sleep(300);
    proxy.restore();
    proxy.blockWebSockets();
    await sleep(300);
    llm.release();
    await until("the stored reply", () => seen.messages.some((message) => message.role === "bot"));
    const updates = seen.streams.filter((reply) => !reply.done);
    const cutAt = updates.findIndex((reply) => reply.text === beforeCut);
    expect(cutAt).toBeGreaterThanOrEqual(0);
    const afterCut = updates.slice(cutAt + 1);
    // The SDK sent the message again under its clientMessageId, and the answer's events went on from
    // the text so far while the model still wrote: more of the reply streamed after the cut …
    expect(afterCut.length).toBeGreaterThanOrEqual(1);
    // … each update extending the one before, and the user's message stored once.
    expectEachExtendsTheLast(updates);
    expect(seen.messages.filter((message) => message.role === "user").map((message) => message.text)).toEqual([UNKNOWN]);
    expect(seen.messages.filter((message) => message.role === "bot").map((message) => message.text)).toEqual([ANSWER]);
  });
});

/** Each streamed update is the answer's beginning and longer than the one before: nothing shown twice, nothing lost. */
function expectEachExtendsTheLast(updates: StreamingReply[]): void {
  for (const [i, update] of updates.entries()) {
    expect(ANSWER.startsWith(update.text)).toBe(true);
    if (i > 0) expect(update.text.length).toBeGreaterThan(updates[i - 1]?.text.length ?? 0);
  }
}

/** The events of a response, to its end or until `enough` says so (the rest is then left unread). */
async function readEvents(response: Response, enough?: (events: ReplyEvent[]) => boolean): Promise<ReplyEvent[]> {
  const events: ReplyEvent[] = [];
  const parser = new ServerSentEventParser();
  const decoder = new TextDecoder();
  if (!response.body) throw new Error("no body");
  for await (const chunk of response.body) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
      const parsed = ReplyEventSchema.parse(JSON.parse(event.data));
      expect(event.event).toBe(parsed.type);
      events.push(parsed);
    }
    if (enough?.(events)) return events;
  }
  return events;
}
