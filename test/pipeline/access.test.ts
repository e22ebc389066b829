// How long a conversation token lasts and how much one conversation holds: tokens that expire and
// are renewed while in use, and the cap on messages and bytes. A stack with a 4-second token life
// and a small cap (revocation and socket tickets: round-trip.test.ts; tokens in URLs: test/bad-input/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StratusClient, type Message } from "../../clients/js/src/index.ts";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";
import { ConversationSchema, ErrorBodySchema } from "../../shared/schemas/index.ts";

const TOKEN_TTL_SECONDS = 4;
const MAX_MESSAGES = 6;
const MAX_BYTES = 3_000;

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus({
    gatewayVars: {
      STRATUS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      STRATUS_MAX_CONVERSATION_MESSAGES: String(MAX_MESSAGES),
      STRATUS_MAX_CONVERSATION_BYTES: String(MAX_BYTES),
    },
  });
});
afterAll(() => stratus?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createFull() {
  const response = await stratus.fetch("/v1/conversations", { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"locale":"en"}' });
  return ConversationSchema.parse(await response.json());
}

const read = (id: string, token: string) => stratus.fetch(`/v1/conversations/${id}`, { headers: { Authorization: `Bearer ${token}` } });

async function errorOf(response: Response) {
  return ErrorBodySchema.parse(await response.json()).error;
}

describe("conversation tokens", () => {
  it("expire: accepted until tokenExpiresAt, then 401", async () => {
    const conversation = await createFull();
    const lifetime = Date.parse(conversation.tokenExpiresAt) - Date.now();
    // Expiry is kept in whole seconds: a token lives between TTL - 1 and TTL seconds (less the request's own time).
    expect(lifetime).toBeGreaterThan((TOKEN_TTL_SECONDS - 1.5) * 1000);
    expect(lifetime).toBeLessThanOrEqual(TOKEN_TTL_SECONDS * 1000);
    expect((await read(conversation.id, conversation.token)).status).toBe(200);
    await sleep(lifetime + 300);
    const expired = await read(conversation.id, conversation.token);
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).code).toBe("unauthorized");
    // An expired token cannot be renewed either.
    const renew = await stratus.fetch(`/v1/conversations/${conversation.id}/token`, { method: "POST", headers: { Authorization: `Bearer ${conversation.token}` } });
    expect(renew.status).toBe(401);
  });

  it("are renewed by the SDK while the conversation is in use, without the user noticing", async () => {
    const client = new StratusClient({ baseUrl: stratus.url, bot: "ecommerce", locale: "en" });
    const errors: string[] = [];
    client.on("error", (error) => errors.push(`${error.code}: ${error.message}`));
    const answered = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => client.messages.filter((m: Message) => m.role === "bot").length >= count && resolve();
        client.on("message", check);
        check();
      });
    const started = await client.start();
    const firstToken = started.token;
    // Three messages over three token lifetimes: each goes through, on a token renewed in the background.
    for (let turn = 1; turn <= 3; turn++) {
      client.send(turn === 1 ? "hello" : "where is my order ORD-4820193?");
      await answered(turn);
      if (turn < 3) await sleep(TOKEN_TTL_SECONDS * 1000);
    }
    expect(errors).toEqual([]);
    expect(client.conversation?.token).not.toBe(firstToken);
    expect((await read(started.id, firstToken)).status).toBe(401);
    expect((await read(started.id, client.conversation?.token ?? "")).status).toBe(200);
    client.close();
  }, 30_000);
});

describe("a conversation's size is capped", () => {
  it(`holds at most ${MAX_MESSAGES} messages: the next user message is a 409 conversation_full over HTTP and the socket, and nothing accepted is lost`, async () => {
    const conversation = await createFull();
    for (let i = 0; i < MAX_MESSAGES / 2; i++) await stratus.say(conversation, `hello ${i}`);
    const refused = await postMessage(stratus, conversation, { text: "one more" });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe("conversation_full");
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    socket.send({ type: "message", text: "and over the socket" });
    const frames = await socket.waitFor((all) => all.some((frame) => frame.type === "error"));
    expect(frames.find((frame) => frame.type === "error")?.error?.code).toBe("conversation_full");
    socket.close();
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.map((message) => message.role)).toEqual(["user", "bot", "user", "bot", "user", "bot"]);
  });

  it(`holds at most ${MAX_BYTES} bytes of text`, async () => {
    const conversation = await createFull();
    // 3 bytes a character: 800 characters are 2,400 bytes.
    await stratus.say(conversation, "我".repeat(800));
    const refused = await postMessage(stratus, conversation, { text: "我".repeat(250) });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe("conversation_full");
    expect((await postMessage(stratus, conversation, { text: "ok" })).status).toBe(202);
  });
});
