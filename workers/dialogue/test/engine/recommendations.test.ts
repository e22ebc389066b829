// "Recommend me something" in the e-commerce bot: the shop's picks for the signed-in customer
// (the bot call's user assertion names them), worded in the reply's language, each a button.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import { Conversation, exampleBot, nlu, responses, texts, signedInFetch } from "./helpers.ts";

const bot = exampleBot("ecommerce");
let demo: DemoServices;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
});
afterAll(async () => {
  await demo.close();
});

const quickReplies = (decision: Awaited<ReturnType<Conversation["say"]>>) => decision.replies.flatMap((reply) => reply.quickReplies ?? []);

describe("ecommerce bot: recommendations", () => {
  it("shows a signed-in customer their own repeat buys, each product a button", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("recommend me something", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations"]);
    expect(texts(decision)).toContain("House blend coffee beans (1 kg) (You bought this before (5 orders))");
    expect(quickReplies(decision)).toEqual(["House blend coffee beans (1 kg)", "Paper coffee filters (100)", "A5 dotted notebook"]);
  });

  it("another customer gets other picks: what goes with their grinder", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("ines"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("any suggestions for me", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations"]);
    expect(texts(decision)).toContain("Often bought with Coffee grinder");
    expect(quickReplies(decision)).not.toContain("A5 dotted notebook");
  });

  it("names the products and reasons in Chinese for a Chinese turn", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("给我推荐点东西", nlu("recommend_products", [], "zh"));
    expect(texts(decision)).toContain("招牌拼配咖啡豆（1 公斤）（您之前买过（5 次））");
    expect(quickReplies(decision)).toContain("咖啡滤纸（100 张）");
  });

  it("an anonymous visitor gets the popular products and an invitation to sign in", async () => {
    const conversation = new Conversation(bot, { fetch: (input, init) => fetch(input, init), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("recommend me something", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations_popular"]);
    expect(texts(decision)).toContain("Sign in");
    expect(quickReplies(decision)).toEqual(["A5 dotted notebook", "Coffee grinder", "Ceramic mug"]);
  });

  it("the endpoint refuses a forged assertion with a 401", async () => {
    const response = await fetch(`${demo.url}/customers/me/recommendations`, { headers: { "Stratus-User-Assertion": "not.a.jwt" } });
    expect(response.status).toBe(401);
  });
});
