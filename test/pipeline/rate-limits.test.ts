// Rate limits tell clients what to do: every 429 (and every rate_limited WebSocket frame) says when
// to retry, and a client that waits that long gets through. Budgets are wrangler.toml's
// [[ratelimits]]; the per-client ones are keyed by CF-Connecting-IP, which a local client may set
// (no Cloudflare edge in front), so each test floods from its own address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declaredLimit } from "../../devkit/rate-limit-config.ts";
import { startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";
import { RATE_LIMITERS, type RateLimiterName } from "../../shared/rate-limits.ts";
import { ErrorBodySchema } from "../../shared/schemas/index.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

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

/** A conversation that the flood tests above did not touch still chats: budgets are per conversation. */
describe("after the floods", () => {
  it("other conversations are not limited", async () => {
    const conversation: ConversationHandle = await stratus.createConversation({ locale: "en" });
    const { replies } = await stratus.say(conversation, "hello");
    expect(replies[0]?.nlu?.intent.name).toBe("greet");
  });
});
