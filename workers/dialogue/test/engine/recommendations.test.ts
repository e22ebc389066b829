// "Recommend me something" in the e-commerce bot: the shop's picks for the signed-in customer
// (the bot call's user assertion names them), worded in the reply's language, each a product card
// whose buttons' postbacks the bot answers as that product — and counts as clicks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import { summarizeDecision } from "../../src/engine/decision-summary.ts";
import { Conversation, exampleBot, nlu, responses, texts, signedInFetch } from "./helpers.ts";

const bot = exampleBot("ecommerce");
let demo: DemoServices;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
});
afterAll(async () => {
  await demo.close();
});

type Decision = Awaited<ReturnType<Conversation["say"]>>;
const cards = (decision: Decision) => decision.replies.flatMap((reply) => reply.cards ?? []);
const titles = (decision: Decision) => cards(decision).map((card) => card.title);

describe("ecommerce bot: recommendations", () => {
  it("shows a signed-in customer their own repeat buys as cards: picture, name, price, why, and two buttons", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("recommend me something", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations"]);
    expect(titles(decision)).toEqual(["House blend coffee beans (1 kg)", "Paper coffee filters (100)", "A5 dotted notebook"]);
    expect(cards(decision)[0]).toEqual({
      title: "House blend coffee beans (1 kg)",
      subtitle: "You bought this before (5 orders)",
      imageUrl: "/products/coffee.svg",
      price: "$18.00",
      buttons: [
        { title: "View", text: "View: House blend coffee beans (1 kg)" },
        { title: "Add to cart", text: "Add to cart: House blend coffee beans (1 kg)" },
      ],
    });
    expect(summarizeDecision(decision.effects).recommendations).toEqual({ shown: 3, clicked: 0 });
  });

  it("answers a tap on View as that product, whatever the NLU made of it, and counts the click", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    await conversation.say("recommend me something", nlu("recommend_products"));
    const tapped = await conversation.say("View: Paper coffee filters (100)", nlu("out_of_scope", [], "en", 0.3));
    expect(responses(tapped)).toEqual(["utter_product_details"]);
    expect(texts(tapped)).toContain("Paper coffee filters (100): $5.50, in Coffee & kitchen.");
    expect(conversation.state.slots.product_id).toBe("SKU-2004");
    expect(summarizeDecision(tapped.effects).recommendations).toEqual({ shown: 0, clicked: 1 });
    // The details card's own button puts it in the cart; that tap is no recommendation click.
    const added = await conversation.say("Add Paper coffee filters (100) to my cart", nlu("out_of_scope"));
    expect(responses(added)).toEqual(["utter_added_to_cart"]);
    expect(texts(added)).toContain("Added Paper coffee filters (100) to your cart: 1 items, $5.50 in total.");
    expect(summarizeDecision(added.effects).recommendations).toBeUndefined();
    // An older card's button still works: "Add to cart" on the first recommendation.
    const again = await conversation.say("Add to cart: House blend coffee beans (1 kg)", nlu("out_of_scope"));
    expect(texts(again)).toContain("Added House blend coffee beans (1 kg) to your cart: 2 items, $23.50 in total.");
    expect(summarizeDecision(again.effects).recommendations).toEqual({ shown: 0, clicked: 1 });
  });

  it("another customer gets other picks: what goes with their grinder", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("ines"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("any suggestions for me", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations"]);
    expect(cards(decision).map((card) => card.subtitle)).toContain("Often bought with Coffee grinder");
    expect(titles(decision)).not.toContain("A5 dotted notebook");
  });

  it("names the products, reasons and buttons in Chinese for a Chinese turn", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("给我推荐点东西", nlu("recommend_products", [], "zh"));
    expect(texts(decision)).toBe("为您推荐：");
    expect(cards(decision)[0]).toMatchObject({ title: "招牌拼配咖啡豆（1 公斤）", subtitle: "您之前买过（5 次）", buttons: [{ title: "查看", text: "查看招牌拼配咖啡豆（1 公斤）" }, { title: "加入购物车" }] });
    const tapped = await conversation.say("查看咖啡滤纸（100 张）", nlu("out_of_scope", [], "zh"));
    expect(texts(tapped)).toContain("咖啡滤纸（100 张）：");
  });

  it("an anonymous visitor gets the popular products, and is asked to sign in to use a cart", async () => {
    const conversation = new Conversation(bot, { fetch: (input, init) => fetch(input, init), env: { ORDER_API_URL: demo.url } });
    const decision = await conversation.say("recommend me something", nlu("recommend_products"));
    expect(responses(decision)).toEqual(["utter_recommendations_popular"]);
    expect(texts(decision)).toContain("Sign in");
    expect(titles(decision)).toEqual(["A5 dotted notebook", "Coffee grinder", "Ceramic mug"]);
    const added = await conversation.say("Add to cart: Coffee grinder", nlu("out_of_scope"));
    expect(responses(added)).toEqual(["utter_cart_sign_in"]);
    // Still a click on a recommendation: the visitor chose it.
    expect(summarizeDecision(added.effects).recommendations).toEqual({ shown: 0, clicked: 1 });
  });

  it("a tap inside a form is a side request: answered, then the form asks again", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    await conversation.say("recommend me something", nlu("recommend_products"));
    expect(responses(await conversation.say("I want to return something", nlu("return_item")))).toEqual(["utter_ask_order_id"]);
    const tapped = await conversation.say("View: A5 dotted notebook", nlu("out_of_scope"));
    expect(responses(tapped)).toEqual(["utter_product_details", "utter_ask_order_id"]);
    expect(texts(tapped)).toContain("Back to your return:");
    expect(conversation.state.activeForm?.name).toBe("return_form");
  });

  it("a message that only resembles a button is not a tap", async () => {
    const conversation = new Conversation(bot, { fetch: await signedInFetch("alice"), env: { ORDER_API_URL: demo.url } });
    await conversation.say("recommend me something", nlu("recommend_products"));
    const typed = await conversation.say("View: a product you never showed me", nlu("out_of_scope"));
    expect(responses(typed)).not.toContain("utter_product_details");
    expect(summarizeDecision(typed.effects).recommendations).toBeUndefined();
  });

  it("the endpoint refuses a forged assertion with a 401", async () => {
    const response = await fetch(`${demo.url}/customers/me/recommendations`, { headers: { "Stratus-User-Assertion": "not.a.jwt" } });
    expect(response.status).toBe(401);
  });
});
