import { describe, expect, it } from "vitest";
import { loadBot } from "../../src/engine/index.ts";
import { Conversation, nlu, responses, texts } from "./helpers.ts";

// A bot whose rules exercise each kind of condition and the slot-changing steps.
const bot = loadBot({
  id: "conditions",
  name: "Conditions",
  locales: ["en"],
  defaultLocale: "en",
  slots: { tier: { type: "enum", values: ["gold", "silver", "basic"] }, visits: { type: "number" } },
  responses: {
    utter_vip: { en: "Welcome back, {tier} member ({visits} visits)." },
    utter_hello: { en: "Hello." },
    utter_refund_words: { en: "Refunds take 5 days." },
    utter_reset: { en: "Forgotten." },
    utter_rephrase: { en: "Again?" },
    utter_offer: { en: "A person?" },
    utter_declined: { en: "Okay." },
    utter_handoff: { en: "Connecting." },
  },
  rules: [
    { intent: "*", when: { textMatches: "\\bmoney\\s+back\\b" }, response: "utter_refund_words" },
    { intent: "set_gold", setSlots: { tier: "gold", visits: 3 }, response: "utter_hello" },
    { intent: "forget", clearSlots: "all", response: "utter_reset" },
    { intent: "greet", when: { slots: { tier: { in: ["gold", "silver"] }, visits: { set: true } } }, response: "utter_vip" },
    { intent: "greet", response: "utter_hello" },
  ],
  fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
  handoff: { response: "utter_handoff" },
});
const deps = { fetch: () => Promise.reject(new Error("no network in this test")), env: {} };

describe("rule conditions and steps", () => {
  it("a regex on the text matches whatever the intent", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("I want my MONEY back!", nlu("out_of_scope")))).toEqual(["utter_refund_words"]);
  });

  it("slot conditions pick between rules for the same intent; clearing slots switches back", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("hi", nlu("greet")))).toEqual(["utter_hello"]);
    await conversation.say("make me gold", nlu("set_gold"));
    const vip = await conversation.say("hi", nlu("greet"));
    expect(texts(vip)).toBe("Welcome back, gold member (3 visits).");
    await conversation.say("forget me", nlu("forget"));
    expect(responses(await conversation.say("hi", nlu("greet")))).toEqual(["utter_hello"]);
  });
});
