// GET /v1/analytics on the real Workers: chat traffic counted by hand (turns, fallbacks, out of
// scope, handoffs by the bot and by an operator, containment, a failing backend action, a turn
// the pipeline could not answer) and the figures the API gives for it once the reports have gone
// through queue stratus-analytics into the bots' analytics objects. Also: unrecognised text kept
// only for a bot that opts in, clear 400s for bad parameters, 401 without the operator key.
import { LOCAL_OBJECT_SHARDS } from "../../devkit/queue-shard-configs.ts";
import { shardOf } from "../../shared/queue-shards.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../devkit/action-keys.ts";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { AnalyticsResponseSchema, type AnalyticsResponse } from "../../shared/schemas/index.ts";

let stratus: Stratus;
let demo: DemoServices;
const startedAt = new Date(Date.now() - 60_000).toISOString();

beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
  // A short watchdog (2 s, 2 attempts): a turn whose intent stage always fails gets the pipeline fallback within seconds.
  stratus = await startStratus({
    gatewayVars: { TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" },
    dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url },
  });
});
afterAll(async () => {
  await stratus?.close();
  await demo?.close();
});

const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };
const analytics = (query: string, headers: Record<string, string> = operator) => stratus.fetch(`/v1/analytics?${query}`, { headers });

async function figures(query: string): Promise<AnalyticsResponse> {
  const response = await analytics(query);
  expect(response.status).toBe(200);
  return AnalyticsResponseSchema.parse(await response.json());
}

/** Polls until the analytics have counted every report sent (they travel through a queue, batched up to 2 s). */
async function figuresOnceCounted(query: string, counted: (totals: AnalyticsResponse["totals"]) => boolean): Promise<AnalyticsResponse> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await figures(query);
    if (counted(answer.totals) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Bot messages seen in the replies, counted by hand. */
let botMessages = 0;

/** Sends a message, waits for the bot, and returns the intent it understood (none for a held or fallback turn). */
async function said(conversation: ConversationHandle, text: string): Promise<string | undefined> {
  const { replies } = await stratus.say(conversation, text, 25);
  botMessages += replies.length;
  return replies[0]?.nlu?.intent.name;
}

const operatorPost = (conversation: ConversationHandle, path: string, body?: unknown) =>
  stratus.fetch(`/v1/conversations/${conversation.id}/${path}`, {
    method: "POST",
    headers: { ...operator, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("GET /v1/analytics", () => {
  it("gives the figures of hand-counted traffic", async () => {
    // Five shop conversations, ten user messages (eight answered by the bot):
    //  A (en): a greeting and an order that is found → contained, one action call.
    //  B (en): nonsense twice (out of scope, the bot's fallback; the second time it offers a person),
    //          then "yes" → the bot hands off.
    //  C (en): a greeting, then an operator takes over; the next message is held; the agent writes.
    //  D (zh): a greeting and an order the backend fails on (500) → one failed action call, contained.
    //  E (en): a message whose intent stage always fails → the pipeline fallback answers.
    const [a, b, c, d, e] = await Promise.all([
      stratus.createConversation({ bot: "ecommerce", locale: "en" }),
      stratus.createConversation({ bot: "ecommerce", locale: "en" }),
      stratus.createConversation({ bot: "ecommerce", locale: "en" }),
      stratus.createConversation({ bot: "ecommerce", locale: "zh" }),
      stratus.createConversation({ bot: "ecommerce", locale: "en" }),
    ]);
    if (!a || !b || !c || !d || !e) throw new Error("conversations not created");

    const pipelineFallback = stratus.say(e, "hello #fail-intent", 25);
    expect(await said(a, "hello")).toBe("greet");
    expect(await said(a, "where is my order ORD-4820193?")).toBe("order_status");
    expect(await said(b, "qwzx vlorp kdjf")).toBe("out_of_scope");
    expect(await said(b, "qwzx vlorp kdjf")).toBe("out_of_scope");
    expect(await said(b, "yes")).toBe("affirm");
    expect(await said(c, "hello")).toBe("greet");
    expect((await operatorPost(c, "handoff")).status).toBe(200);
    expect(await said(c, "is anyone there?")).toBeUndefined();
    expect((await operatorPost(c, "agent-messages", { text: "Hi, this is Dana." })).status).toBe(201);
    expect(await said(d, "你好")).toBe("greet");
    expect(await said(d, "我的订单ORD-5000500到哪了")).toBe("order_status");
    const fallback = await pipelineFallback;
    expect(fallback.replies.map((reply) => reply.nlu)).toEqual([undefined]);
    botMessages += fallback.replies.length;

    const query = `bot=ecommerce&from=${startedAt}&interval=1h`;
    const { totals, unrecognised, series, rowsRead } = await figuresOnceCounted(
      query,
      (counted) => counted.turns.total >= 10 && counted.handoffs.total >= 2 && counted.messages.agent >= 1,
    );
    expect(totals.conversations).toBe(5);
    expect(totals.handedOffConversations).toBe(2);
    expect(totals.containmentRate).toBe(3 / 5);
    expect(totals.turns).toEqual({ total: 10, bot: 8, pipelineFallback: 1, held: 1 });
    expect(totals.messages).toEqual({ user: 10, bot: botMessages, agent: 1 });
    expect(totals.outOfScope).toBe(2);
    expect(totals.fallbacks).toBe(2);
    expect(totals.outOfScopeRate).toBe(2 / 8);
    expect(totals.fallbackRate).toBe(2 / 8);
    expect(totals.handoffs).toEqual({ total: 2, bot: 1, operator: 1 });
    expect(totals.actions).toMatchObject({ calls: 2, failures: 1, failureRate: 0.5, byAction: [{ action: "lookup_order", calls: 2, failures: 1 }] });
    expect(Object.fromEntries(totals.intents.map(({ intent, count }) => [intent, count]))).toEqual({
      greet: 3,
      order_status: 2,
      out_of_scope: 2,
      affirm: 1,
    });
    expect(totals.latency.count).toBe(10);
    expect(totals.latency.p50Ms).toBeGreaterThan(0);
    expect(totals.latency.p99Ms).toBeGreaterThanOrEqual(totals.latency.p50Ms ?? 0);
    // The shop keeps the text of what it did not understand.
    expect(unrecognised).toMatchObject({ count: 2, textKept: true, textRetentionDays: 30, top: [{ text: "qwzx vlorp kdjf", count: 2 }] });
    expect(series.reduce((sum, point) => sum + point.turns, 0)).toBe(10);
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThanOrEqual(2 * 2 * 60);

    const zh = await figures(`${query}&locale=zh`);
    expect([zh.totals.conversations, zh.totals.turns.total, zh.totals.containmentRate, zh.totals.actions.failures]).toEqual([1, 2, 1, 1]);
  });

  it("adds up a bot's analytics shards exactly: conversations counted in every shard are all in the figures", async () => {
    const shards = Number(LOCAL_OBJECT_SHARDS.STRATUS_ANALYTICS_SHARDS);
    expect(shards).toBeGreaterThan(1);
    const from = new Date(Date.now() - 60_000).toISOString();
    const before = (await figures(`bot=finance&from=${from}&to=${new Date(Date.now() + 120_000).toISOString()}&interval=1m`)).totals;
    const created: ConversationHandle[] = [];
    // Until every shard counts some of them.
    while (created.length < 4 || new Set(created.map((c) => shardOf(c.id, shards))).size < shards) {
      const conversation = await stratus.createConversation({ bot: "finance", locale: "en" });
      await stratus.say(conversation, "hello");
      created.push(conversation);
    }
    const to = new Date(Date.now() + 120_000).toISOString();
    const merged = await figuresOnceCounted(`bot=finance&from=${from}&to=${to}&interval=1m`, (totals) => totals.conversations - before.conversations >= created.length);
    expect(merged.totals.conversations - before.conversations).toBe(created.length);
    expect(merged.totals.turns.total - before.turns.total).toBe(created.length);
    expect(merged.totals.latency.count - before.latency.count).toBe(created.length);
  });

  it("keeps counts only for a bot that does not opt in to keeping text", async () => {
    const conversation = await stratus.createConversation({ bot: "health", locale: "en" });
    expect(await said(conversation, "qwzx vlorp kdjf")).toBe("out_of_scope");
    const { unrecognised, totals } = await figuresOnceCounted(`bot=health&from=${startedAt}`, (counted) => counted.turns.total >= 1);
    expect(totals.outOfScope).toBe(1);
    expect(unrecognised).toEqual({ count: 1, textKept: false, textRetentionDays: 30, top: [] });
  });

  it.each([
    ["", "bot"],
    ["bot=nobody", "unknown bot"],
    ["bot=finance&locale=fr", "locale"],
    ["bot=ecommerce&from=yesterday", "from"],
    ["bot=ecommerce&from=2026-11-02T10:00:00Z&to=2026-11-02T09:00:00Z", "from must be before to"],
    ["bot=ecommerce&interval=7m", "interval"],
    ["bot=ecommerce&from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z", "at most 31 days"],
    ["bot=ecommerce&from=2026-10-01T00:00:00Z&to=2026-10-30T00:00:00Z&interval=1m", "choose a larger interval"],
    ["bot=ecommerce&form=2026-11-01T00:00:00Z", "form"],
  ])("answers ?%s with a 400 that says what is wrong", async (query, mentions) => {
    const response = await analytics(query);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(["invalid_request", "unknown_bot"]).toContain(error.code);
    expect(error.message).toContain(mentions);
  });

  it("is described in the OpenAPI document, with its parameters and the operator key", async () => {
    const doc = (await (await stratus.fetch("/v1/openapi.json")).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[]; security?: unknown[] } }>;
    };
    const get = doc.paths["/v1/analytics"]?.get;
    expect(get?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual([
      "query:bot",
      "query:from",
      "query:interval",
      "query:locale",
      "query:to",
    ]);
    expect(get?.security).toEqual([{ operatorKey: [] }]);
  });

  it("is for the operator only", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce" });
    for (const headers of [{}, { Authorization: "Bearer not-the-key" }, { Authorization: `Bearer ${conversation.token}` }]) {
      const response = await analytics("bot=ecommerce", headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
  });
});
