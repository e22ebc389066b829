// Rate limits tell clients what to do: every 429 (and every rate_limited WebSocket frame) says when
// to retry, and a client that waits that long gets through. Budgets are wrangler.toml's
// [[ratelimits]]; the per-client ones are keyed by CF-Connecting-IP, which a local client may set
// (no Cloudflare edge in front), so each test floods from its own address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declaredLimit } from "../../devkit/rate-limit-config.ts";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { startLlmServer, type LlmServer } from "../../devkit/llm-server.ts";
import { ConversationSocket, mintSocketTicket } from "../../devkit/websocket-client.ts";
import WebSocket from "ws";
import { RATE_LIMITERS, type RateLimiterName } from "../../shared/rate-limits.ts";
import { ErrorBodySchema } from "../../shared/schemas/index.ts";

let stratus: Stratus;
let llm: LlmServer;
beforeAll(async () => {
  llm = await startLlmServer();
  stratus = await startStratus({ dialogueVars: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "test-llm-key", LLM_MODEL: "test-model" } });
});
afterAll(async () => {
  await stratus?.close();
  await llm?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The binding counts in windows aligned to the clock; a flood that straddled a boundary would
 * spend two windows' budgets, so a flood that needs `needMs` starts in a window with that much left.
 */
async function windowWithRoom(limiter: RateLimiterName, needMs: number): Promise<void> {
  const windowMs = RATE_LIMITERS[limiter].periodSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await sleep(left + 50);
}

/** A 429 in the documented shape whose Retry-After header and body agree, within the limiter's window. */
async function expectRateLimited(response: Response, limiter: RateLimiterName): Promise<number> {
  expect(response.status).toBe(429);
  const header = response.headers.get("Retry-After");
  expect(header).toMatch(/^\d+$/);
  const retryAfter = Number(header);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(RATE_LIMITERS[limiter].periodSeconds);
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error).toMatchObject({ code: "rate_limited", retryAfter });
  return retryAfter;
}

const fromAddress = (address: string) => ({ "Content-Type": "application/json", "CF-Connecting-IP": address });

/** Sends until the first refusal (at most twice the limit: a flood may straddle two windows) and returns it with how many got through. */
async function untilRefused(send: () => Promise<Response>, limit: number, okStatus: number): Promise<{ accepted: number; refused: Response }> {
  for (let accepted = 0; accepted <= 2 * limit; accepted++) {
    const response = await send();
    if (response.status !== okStatus) return { accepted, refused: response };
  }
  throw new Error(`no refusal after ${2 * limit + 1} requests`);
}

/** stratus_rate_limited_total for a channel and limiter, from /metrics (0 when the series is absent). */
async function refusedCount(channel: string, limiter: string): Promise<number> {
  const line = (await stratus.metrics()).split("\n").find((row) => row.startsWith("stratus_rate_limited_total{") && row.includes(`channel="${channel}"`) && row.includes(`limiter="${limiter}"`));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

/** Metrics reach /metrics through the aggregator after a flush: waits until the count grows past `above`. */
async function refusedCountAbove(channel: string, limiter: string, above: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const count = await refusedCount(channel, limiter);
    if (count > above) return count;
    await sleep(100);
  }
  return refusedCount(channel, limiter);
}

const operatorHeaders = { Authorization: `Bearer ${OPERATOR_API_KEY}` };

describe("messages (per conversation, HTTP and WebSocket together)", () => {
  const limit = declaredLimit("MESSAGE_LIMITER");

  it("429 past the budget with Retry-After, store only what they accepted, and take messages again after the wait", async () => {
    const flooded = await stratus.createConversation({ locale: "en" });
    await windowWithRoom("MESSAGE_LIMITER", 9_000);
    const responses: Response[] = [];
    for (let i = 0; i < limit + 10; i++) responses.push(await postMessage(stratus, flooded, { text: `hello ${i}` }));
    const accepted = responses.filter((r) => r.status === 202).length;
    const refused = responses.filter((r) => r.status === 429);
    expect(accepted).toBeLessThanOrEqual(limit);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    let retryAfter = 0;
    for (const response of refused) retryAfter = await expectRateLimited(response, "MESSAGE_LIMITER");
    const users = (await readTranscript(stratus, flooded)).filter((m) => m.role === "user");
    expect(users).toHaveLength(accepted);

    await sleep(retryAfter * 1000);
    expect((await postMessage(stratus, flooded, { text: "after the wait" })).status).toBe(202);
  });

  it("refuse WebSocket frames past the same budget with the same retry hint", async () => {
    const flooded = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, flooded.id, flooded.token);
    await windowWithRoom("MESSAGE_LIMITER", 5_000);
    const sent = limit + 10;
    for (let i = 0; i < sent; i++) socket.send({ type: "message", text: `hello ${i}` });
    const frames = await socket.waitFor((all) => all.filter((f) => f.type === "error" || f.message?.role === "user").length >= sent);
    const limited = frames.filter((f) => f.error?.code === "rate_limited");
    const accepted = frames.filter((f) => f.message?.role === "user").length;
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(accepted + limited.length).toBe(sent);
    for (const frame of limited) {
      expect(frame.error?.retryAfter).toBeGreaterThanOrEqual(1);
      expect(frame.error?.retryAfter).toBeLessThanOrEqual(RATE_LIMITERS.MESSAGE_LIMITER.periodSeconds);
    }
    socket.close();
    expect((await readTranscript(stratus, flooded)).filter((m) => m.role === "user")).toHaveLength(accepted);
  });
});

describe("per client address", () => {
  const create = (address: string) => stratus.fetch("/v1/conversations", { method: "POST", headers: fromAddress(address), body: "{}" });
  const parse = (address: string) =>
    stratus.fetch("/v1/nlu/parse", { method: "POST", headers: fromAddress(address), body: JSON.stringify({ text: "hello", locale: "en" }) });

  /** Sends until the first 429 (at most limit + 1 requests) and returns it with how many got through. */
  async function exhaust(send: () => Promise<Response>, limit: number, okStatus: number): Promise<{ accepted: number; refused: Response }> {
    for (let accepted = 0; accepted <= limit; accepted++) {
      const response = await send();
      if (response.status !== okStatus) return { accepted, refused: response };
    }
    throw new Error(`no 429 after ${limit + 1} requests`);
  }

  it("limit conversation creation per address, and leave other addresses and the NLU budget alone", async () => {
    const limit = declaredLimit("CREATE_LIMITER");
    await windowWithRoom("CREATE_LIMITER", 15_000);
    const { accepted, refused } = await exhaust(() => create("198.51.100.10"), limit, 201);
    expect(accepted).toBe(limit);
    await expectRateLimited(refused, "CREATE_LIMITER");
    expect((await create("198.51.100.11")).status).toBe(201);
    expect((await parse("198.51.100.10")).status).toBe(200);
  });

  it("give POST /v1/nlu/parse its own budget, apart from conversation creation's", async () => {
    const limit = declaredLimit("NLU_LIMITER");
    await windowWithRoom("NLU_LIMITER", 15_000);
    const { accepted, refused } = await exhaust(() => parse("198.51.100.20"), limit, 200);
    expect(accepted).toBe(limit);
    await expectRateLimited(refused, "NLU_LIMITER");
    expect((await create("198.51.100.20")).status).toBe(201);
    expect((await parse("198.51.100.21")).status).toBe(200);
  });

  it("count an IPv6 client as its /64", async () => {
    const limit = declaredLimit("NLU_LIMITER");
    await windowWithRoom("NLU_LIMITER", 15_000);
    let host = 0;
    const { accepted, refused } = await exhaust(() => parse(`2001:db8:aa:bb::${(host++).toString(16)}`), limit, 200);
    expect(accepted).toBe(limit);
    await expectRateLimited(refused, "NLU_LIMITER");
    expect((await parse("2001:db8:aa:bc::1")).status).toBe(200);
  });
});

describe("budgets that keep one client from spreading out (issue #22)", () => {
  it("count user messages per address across all its conversations, over HTTP and the socket alike", async () => {
    const limit = declaredLimit("ADDRESS_MESSAGE_LIMITER");
    const address = "198.51.100.40";
    // Enough conversations that the per-conversation budget never binds first; handed to a person,
    // so the flood is stored and held without running the pipeline.
    const conversations = await Promise.all(Array.from({ length: Math.ceil((2 * limit) / 50) + 1 }, () => stratus.createConversation({ locale: "en" })));
    for (const conversation of conversations) await stratus.fetch(`/v1/conversations/${conversation.id}/handoff`, { method: "POST", headers: operatorHeaders });
    const before = await refusedCount("http", "address_message");
    let next = 0;
    const { accepted, refused } = await untilRefused(() => {
      const conversation = conversations[next++ % conversations.length] as ConversationHandle;
      return stratus.fetch(`/v1/conversations/${conversation.id}/messages`, {
        method: "POST",
        headers: { ...fromAddress(address), Authorization: `Bearer ${conversation.token}` },
        body: JSON.stringify({ text: `message ${next}` }),
      });
    }, limit, 202);
    expect(accepted).toBeGreaterThanOrEqual(limit);
    await expectRateLimited(refused, "ADDRESS_MESSAGE_LIMITER");
    expect(await refusedCountAbove("http", "address_message", before)).toBeGreaterThan(before);
    // The same address over a socket (of another conversation) is over the same budget.
    const fresh = await stratus.createConversation({ locale: "en" });
    const ticket = await mintSocketTicket(stratus.url, fresh.id, fresh.token);
    const socket = new WebSocket(`${stratus.url.replace(/^http/, "ws")}/v1/conversations/${fresh.id}/ws`, ["stratus.v1", `stratus.ticket.${ticket}`], {
      headers: { "CF-Connecting-IP": address },
    });
    const errors: { code?: string; retryAfter?: number }[] = [];
    socket.on("message", (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; error?: { code: string; retryAfter?: number } };
      if (frame.error) errors.push(frame.error);
    });
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ type: "message", text: "hello from the socket" }));
    for (let i = 0; i < 50 && errors.length === 0; i++) await sleep(50);
    expect(errors[0]).toMatchObject({ code: "rate_limited" });
    expect(errors[0]?.retryAfter).toBeGreaterThanOrEqual(1);
    socket.close();
    // Another address is not affected.
    expect((await postMessage(stratus, fresh, { text: "hello" })).status).toBe(202);
  });

  it("count reads of conversations per address", async () => {
    const limit = declaredLimit("READ_LIMITER");
    const conversation = await stratus.createConversation({ locale: "en" });
    const read = (address: string) => stratus.fetch(`/v1/conversations/${conversation.id}/messages`, { headers: { ...fromAddress(address), Authorization: `Bearer ${conversation.token}` } });
    const { accepted, refused } = await untilRefused(() => read("198.51.100.50"), limit, 200);
    expect(accepted).toBeGreaterThanOrEqual(limit);
    await expectRateLimited(refused, "READ_LIMITER");
    expect((await read("198.51.100.51")).status).toBe(200);
  });

  it("count socket tickets per conversation and socket opens per address", async () => {
    const ticketLimit = declaredLimit("SOCKET_TICKET_LIMITER");
    const openLimit = declaredLimit("SOCKET_LIMITER");
    const mint = (conversation: ConversationHandle) =>
      stratus.fetch(`/v1/conversations/${conversation.id}/socket-tickets`, { method: "POST", headers: { Authorization: `Bearer ${conversation.token}` } });
    const one = await stratus.createConversation({ locale: "en" });
    const minted = await untilRefused(() => mint(one), ticketLimit, 201);
    expect(minted.accepted).toBeGreaterThanOrEqual(ticketLimit);
    await expectRateLimited(minted.refused, "SOCKET_TICKET_LIMITER");
    // Opens from one address, with tickets of enough conversations that their own budget never binds first.
    const address = "198.51.100.60";
    const conversations = await Promise.all(Array.from({ length: Math.ceil((2 * openLimit) / (ticketLimit - 1)) + 1 }, () => stratus.createConversation({ locale: "en" })));
    let next = 0;
    const open = async () => {
      const conversation = conversations[next++ % conversations.length] as ConversationHandle;
      const ticket = await mintSocketTicket(stratus.url, conversation.id, conversation.token);
      return new Promise<Response>((resolve) => {
        const socket = new WebSocket(`${stratus.url.replace(/^http/, "ws")}/v1/conversations/${conversation.id}/ws`, ["stratus.v1", `stratus.ticket.${ticket}`], {
          headers: { "CF-Connecting-IP": address },
        });
        socket.once("open", () => {
          socket.close();
          resolve(new Response(null, { status: 200 }));
        });
        socket.once("unexpected-response", (_request, response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 0, headers: { "Retry-After": String(response.headers["retry-after"] ?? "") } })));
        });
      });
    };
    const opened = await untilRefused(open, openLimit, 200);
    expect(opened.accepted).toBeGreaterThanOrEqual(openLimit);
    await expectRateLimited(opened.refused, "SOCKET_LIMITER");
  });

  it("count LLM fallback calls per conversation: past the budget the bot answers with its own fallback, and the refusal is counted", async () => {
    const limit = declaredLimit("LLM_LIMITER", "dialogue");
    const conversation = await stratus.createConversation({ bot: "health", locale: "en" });
    await windowWithRoom("LLM_LIMITER", 20_000);
    const before = llm.requests.length;
    const refusedBefore = await refusedCount("pipeline", "llm");
    const responses: (string | undefined)[] = [];
    for (let i = 0; i <= limit + 1; i++) {
      const { replies } = await stratus.say(conversation, `zqxv plorbin gruntle ${i}`);
      // A turn may start with another reply (the health bot's first disclaimer): what answered it is what counts.
      responses.push(replies.some((reply) => reply.response === "llm_fallback") ? "llm_fallback" : replies.at(-1)?.response);
    }
    const byLlm = responses.filter((response) => response === "llm_fallback").length;
    expect(byLlm).toBeGreaterThanOrEqual(1);
    expect(byLlm).toBeLessThanOrEqual(limit);
    expect(llm.requests.length - before).toBe(byLlm);
    expect(responses.at(-1)).not.toBe("llm_fallback");
    expect(await refusedCountAbove("pipeline", "llm", refusedBefore)).toBeGreaterThan(refusedBefore);
  });
});

/** A conversation that the flood tests above did not touch still chats: budgets are per conversation. */
describe("after the floods", () => {
  it("other conversations are not limited", async () => {
    const conversation: ConversationHandle = await stratus.createConversation({ locale: "en" });
    const { replies } = await stratus.say(conversation, "hello");
    expect(replies[0]?.nlu?.intent.name).toBe("greet");
  });
});
