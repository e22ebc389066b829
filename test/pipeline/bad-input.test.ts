// Bad input gets a clear JSON error with the right status, and changes nothing.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";

let stratus: Stratus;
let conversation: ConversationHandle;
beforeAll(async () => {
  stratus = await startStratus();
  conversation = await stratus.createConversation({ locale: "en" });
});
afterAll(() => stratus?.close());

async function expectError(response: Response, status: number, code?: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
}

/** A WebSocket handshake whose refusal we can read (fetch refuses Upgrade headers; WebSocket hides the status). */
function upgradeRequest(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 101, body: "" });
    });
    request.on("error", reject);
    request.end();
  });
}

const messagesUrl = (id: string) => `/v1/conversations/${id}/messages`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("message bodies", () => {
  it.each([
    ["malformed JSON", "{not json", "application/json", 400, "invalid_json"],
    ["wrong content type", JSON.stringify({ text: "hi" }), "text/plain", 415, undefined],
    ["empty text", JSON.stringify({ text: "" }), "application/json", 400, "invalid_request"],
    ["whitespace-only text", JSON.stringify({ text: "   \n " }), "application/json", 400, "invalid_request"],
    ["4,001 characters", JSON.stringify({ text: "a".repeat(4001) }), "application/json", 400, "invalid_request"],
    ["text of the wrong type", JSON.stringify({ text: 42 }), "application/json", 400, "invalid_request"],
    ["no body", "", "application/json", 400, undefined],
    ["a body over 64 KiB", JSON.stringify({ text: "a".repeat(70_000) }), "application/json", 413, "payload_too_large"],
  ])("%s → %i", async (_name, body, contentType, status, code) => {
    const response = await stratus.fetch(messagesUrl(conversation.id), {
      method: "POST",
      headers: { "Content-Type": contentType, ...bearer(conversation.token) },
      body,
    });
    await expectError(response, status, code);
    expect(await readTranscript(stratus, conversation)).toEqual([]);
  });

  it("accepts exactly 4,000 characters", async () => {
    const other = await stratus.createConversation({ locale: "en" });
    const response = await postMessage(stratus, other, { text: "a".repeat(4000) });
    expect(response.status).toBe(202);
  });

  it("rejects ?wait over 30 seconds", async () => {
    await expectError(await postMessage(stratus, conversation, { text: "hi" }, "?wait=31"), 400, "invalid_request");
    expect(await readTranscript(stratus, conversation)).toEqual([]);
  });
});

describe("conversations and tokens", () => {
  it("404s an unknown conversation, even with a valid token for its id", async () => {
    const unknownId = "0123456789abcdef0123456789abcdef";
    const token = await stratus.tokenFor(unknownId);
    const response = await stratus.fetch(messagesUrl(unknownId), {
      method: "POST",
      headers: { "Content-Type": "application/json", ...bearer(token) },
      body: JSON.stringify({ text: "hello" }),
    });
    await expectError(response, 404, "conversation_not_found");
    await expectError(await stratus.fetch(`${messagesUrl(unknownId)}?after=0`, { headers: bearer(token) }), 404);
  });

  it("404s a WebSocket upgrade for an unknown conversation, even with a valid token", async () => {
    const unknownId = "fedcba9876543210fedcba9876543210";
    const token = await stratus.tokenFor(unknownId);
    const { status, body } = await upgradeRequest(`${stratus.url}/v1/conversations/${unknownId}/ws?token=${token}`);
    expect(status).toBe(404);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "conversation_not_found" } });
  });

  it("404s an id that is not a conversation id with the same code on every route", async () => {
    const operator = bearer(OPERATOR_API_KEY);
    const json = { "Content-Type": "application/json" };
    const requests: [string, RequestInit][] = [
      ["/v1/conversations/not-an-id", { headers: bearer(conversation.token) }],
      [messagesUrl("not-an-id"), { headers: bearer(conversation.token) }],
      [messagesUrl("NOT-AN-ID"), { method: "POST", headers: { ...json, ...bearer(conversation.token) }, body: JSON.stringify({ text: "hi" }) }],
      ["/v1/conversations/not-an-id/handoff", { method: "POST", headers: operator }],
      ["/v1/conversations/not-an-id/release", { method: "POST", headers: operator }],
      ["/v1/conversations/not-an-id/agent-messages", { method: "POST", headers: { ...json, ...operator }, body: JSON.stringify({ text: "hi" }) }],
    ];
    for (const [path, init] of requests) await expectError(await stratus.fetch(path, init), 404, "conversation_not_found");
    const { status, body } = await upgradeRequest(`${stratus.url}/v1/conversations/not-an-id/ws?token=${conversation.token}`);
    expect(status).toBe(404);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "conversation_not_found" } });
  });

  it("401s a missing token, a wrong token and another conversation's token", async () => {
    const other = await stratus.createConversation();
    const send = (headers: Record<string, string>) =>
      stratus.fetch(messagesUrl(conversation.id), {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ text: "hello" }),
      });
    await expectError(await send({}), 401, "unauthorized");
    await expectError(await send(bearer("x".repeat(43))), 401, "unauthorized");
    await expectError(await send(bearer(other.token)), 401, "unauthorized");
    await expectError(await stratus.fetch(messagesUrl(conversation.id)), 401, "unauthorized");
    expect(await readTranscript(stratus, conversation)).toEqual([]);
  });

  it("400s an unknown bot or a locale the bot does not speak", async () => {
    const create = (body: unknown) =>
      stratus.fetch("/v1/conversations", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await expectError(await create({ bot: "nope" }), 400, "unknown_bot");
    await expectError(await create({ locale: "fr" }), 400, "invalid_request");
    await expectError(await create({ timezone: "Mars/Olympus" }), 400, "invalid_request");
  });

  it("404s unknown routes as JSON", async () => {
    await expectError(await stratus.fetch("/v1/nope"), 404, "not_found");
  });
});

describe("operator endpoints", () => {
  it("need the operator key", async () => {
    const url = `/v1/conversations/${conversation.id}/handoff`;
    await expectError(await stratus.fetch(url, { method: "POST" }), 401, "unauthorized");
    await expectError(await stratus.fetch(url, { method: "POST", headers: bearer(conversation.token) }), 401, "unauthorized");
  });
});

describe("rate limiting", () => {
  // The limiter counts in fixed 10 s windows aligned to the clock; a flood that straddled a
  // boundary could spend two windows' budgets, so each flood starts early in a window.
  const atStartOfWindow = async (): Promise<void> => {
    const intoWindow = Date.now() % 10_000;
    if (intoWindow > 1_000) await new Promise((resolve) => setTimeout(resolve, 10_000 - intoWindow + 50));
  };

  it("429s a client that floods one conversation, and stores only what it accepted", async () => {
    const flooded = await stratus.createConversation({ locale: "en" });
    await atStartOfWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await postMessage(stratus, flooded, { text: `hello ${i}` })).status);
    const accepted = statuses.filter((s) => s === 202).length;
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(60);
    const limited = await postMessage(stratus, flooded, { text: "one more" });
    await expectError(limited, 429, "rate_limited");
    const users = (await readTranscript(stratus, flooded)).filter((m) => m.role === "user");
    expect(users).toHaveLength(accepted);
  });

  it("applies the same limit to messages sent over the WebSocket", async () => {
    const flooded = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, flooded.id, flooded.token);
    await atStartOfWindow();
    for (let i = 0; i < 70; i++) socket.send({ type: "message", text: `hello ${i}` });
    const frames = await socket.waitFor((all) => all.filter((f) => f.type === "error" || f.message?.role === "user").length >= 70);
    const limited = frames.filter((f) => f.error?.code === "rate_limited").length;
    const accepted = frames.filter((f) => f.message?.role === "user").length;
    expect(limited).toBeGreaterThan(0);
    expect(accepted + limited).toBe(70);
    socket.close();
    expect((await readTranscript(stratus, flooded)).filter((m) => m.role === "user")).toHaveLength(accepted);
  });
});
